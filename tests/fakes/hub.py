"""A stand-in for the Hugging Face Hub: a real HTTP server on loopback that answers the way the Hub
does, so the real `huggingface_hub` client can talk to it (tests and benchmarks).

What it speaks:
- `GET /api/{models,datasets,spaces}?author=&expand=…` paged with `Link: <…>; rel="next"`;
- `GET /api/{models,datasets,spaces}/{id}`, with 307 from an old id to the canonical one, 401 and
  `X-Error-Code: RepoNotFound` for a missing repository or a private one without a token that may
  see it;
- `HEAD`/`GET /{repo}/resolve/{revision}/README.md` with `X-Repo-Commit` and `ETag`, 401
  `GatedRepo` for a gated repository without such a token, 404 `EntryNotFound` when there is none;
- 429 with `RateLimit: "api";r=0;t=N`, `RateLimit-Policy` and `Retry-After` when told to.
"""

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}


def fake_sha(*parts) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


@dataclass
class Repo:
    repo_type: str
    repo_id: str
    sha: str
    likes: int = 0
    downloads: int = 0
    pipeline_tag: str = ""
    library_name: str = ""
    tags: list = field(default_factory=list)
    card_data: dict = field(default_factory=dict)
    readme: str | None = None
    private: bool = False
    gated: str | bool = False
    last_modified: str = "2026-11-01T12:00:00.000Z"

    def json(self, expand: list[str] | None) -> dict:
        data = {
            "_id": fake_sha("id", self.repo_type, self.repo_id)[:24], "id": self.repo_id,
            "author": self.repo_id.partition("/")[0] if "/" in self.repo_id else None, "sha": self.sha,
            "lastModified": self.last_modified, "createdAt": "2024-01-01T00:00:00.000Z", "private": self.private,
            "gated": self.gated, "disabled": False, "likes": self.likes, "downloads": self.downloads,
            "tags": self.tags, "cardData": self.card_data,
        }
        if self.repo_type == "model":
            data.update(pipeline_tag=self.pipeline_tag or None, library_name=self.library_name or None)
        if self.repo_type == "space":
            data.update(sdk=self.library_name or "gradio")
        if expand:
            data = {k: v for k, v in data.items() if k in expand or k in ("_id", "id")}
        else:
            data["siblings"] = [{"rfilename": "README.md"}] if self.readme is not None else []
        return data


class FakeHub:
    """The Hub's state and a server for it. Change repositories between calls; read `requests`."""

    TOKEN = "hf_fake_token_with_access"

    def __init__(self, *, page_size: int = 1000):
        self.page_size = page_size
        self.repos: dict[tuple[str, str], Repo] = {}
        self.redirects: dict[tuple[str, str], str] = {}
        self.requests: list[tuple[str, str]] = []
        self.record = True
        self._limits: list[list] = []  # [path prefix, seconds, times left]
        self._lock = threading.Lock()
        self._server = None

    # --- state ----------------------------------------------------------------------------------
    def add(self, repo_id: str, *, repo_type: str = "model", **fields) -> Repo:
        fields.setdefault("sha", fake_sha(repo_type, repo_id, 1))
        license_ = fields.pop("license", None)
        repo = Repo(repo_type=repo_type, repo_id=repo_id, **fields)
        if license_:
            repo.card_data = {"license": license_, **repo.card_data}
            repo.tags = [*repo.tags, f"license:{license_}"]
        self.repos[(repo_type, repo_id)] = repo
        return repo

    def update(self, repo_id: str, *, repo_type: str = "model", new_commit: bool = False, **changes) -> Repo:
        repo = self.repos[(repo_type, repo_id)]
        for name, value in changes.items():
            setattr(repo, name, value)
        if new_commit:
            repo.sha = fake_sha(repo_type, repo_id, repo.sha)
        return repo

    def rename(self, old: str, new: str, *, repo_type: str = "model") -> Repo:
        repo = self.repos.pop((repo_type, old))
        repo.repo_id = new
        self.repos[(repo_type, new)] = repo
        self.redirects[(repo_type, old)] = new
        return repo

    def rate_limit(self, seconds: int, *, times: int = 1, path: str = "/api/") -> None:
        """Answer the next `times` requests under `path` with 429, asking to wait `seconds`."""
        with self._lock:
            self._limits.append([path, seconds, times])

    def bump(self, *, likes: int = 0, new_commit: bool = False) -> int:
        """Change every repository at once: more likes and downloads, and a new commit if asked."""
        with self._lock:
            for repo in self.repos.values():
                repo.likes += likes
                repo.downloads += likes * 10
                if new_commit:
                    repo.sha = fake_sha(repo.repo_type, repo.repo_id, repo.sha)
                    repo.readme = (repo.readme or "") + "\nUpdated.\n"
            return len(self.repos)

    def count(self, method: str, path_part: str) -> int:
        return sum(1 for m, p in self.requests if m == method and path_part in p)

    # --- server ---------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, *, port: int = 0) -> "FakeHub":
        hub = self

        class Handler(_Handler):
            pass

        Handler.hub = hub
        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _limited(self, path: str) -> int | None:
        with self._lock:
            for limit in self._limits:
                if path.startswith(limit[0]) and limit[2] > 0:
                    limit[2] -= 1
                    return limit[1]
        return None


class _Handler(BaseHTTPRequestHandler):
    hub: FakeHub
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle delay: otherwise keep-alive requests wait ~40 ms each on
    # delayed ACKs.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None, *, head: bool = False):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and not head:
            self.wfile.write(body)

    def _json(self, status: int, data, headers: dict | None = None):
        self._send(status, json.dumps(data).encode(), {"Content-Type": "application/json; charset=utf-8",
                                                        **(headers or {})})

    def _error(self, status: int, code: str, message: str, *, head: bool = False, headers: dict | None = None):
        body = json.dumps({"error": message}).encode()
        self._send(status, body, {"Content-Type": "application/json", "X-Error-Code": code,
                                  "X-Error-Message": message, **(headers or {})}, head=head)

    def _authorised(self) -> bool:
        return self.headers.get("Authorization", "") == f"Bearer {FakeHub.TOKEN}"

    def do_HEAD(self):
        self._route("HEAD")

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        """`POST /_fake/bump?likes=1&commit=1`: lets a benchmark in another process change the Hub."""
        parts = urlsplit(self.path)
        if parts.path != "/_fake/bump":
            return self._error(404, "NotFound", "Not found")
        query = parse_qs(parts.query)
        changed = self.hub.bump(likes=int(query.get("likes", ["0"])[0]), new_commit=query.get("commit") == ["1"])
        self._json(200, {"changed": changed})

    def _route(self, method: str):
        hub = self.hub
        parts = urlsplit(self.path)
        if hub.record:
            with hub._lock:
                hub.requests.append((method, parts.path))
        if (seconds := hub._limited(parts.path)) is not None:
            self._json(429, {"error": "Rate limit reached"}, {
                "RateLimit": f'"api";r=0;t={seconds}', "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
                "Retry-After": str(seconds)})
            return
        segments = parts.path.lstrip("/").split("/")
        if segments[0] == "api" and len(segments) >= 2 and segments[1] in TYPES:
            repo_type = TYPES[segments[1]]
            if len(segments) == 2:
                return self._list(repo_type, parse_qs(parts.query))
            return self._info(repo_type, "/".join(segments[2:]), parse_qs(parts.query))
        if "resolve" in segments:
            return self._resolve(method, segments)
        self._error(404, "NotFound", "Not found")

    def _list(self, repo_type: str, query: dict):
        hub = self.hub
        author = query.get("author", [""])[0]
        expand = query.get("expand") or None
        repos = sorted((r for (t, _), r in hub.repos.items() if t == repo_type
                        and (not author or r.repo_id.startswith(f"{author}/"))
                        and (not r.private or self._authorised())), key=lambda r: r.repo_id)
        start = int(query.get("cursor", ["0"])[0])
        page = repos[start:start + hub.page_size]
        headers = {}
        if start + hub.page_size < len(repos):
            params = [("author", author), ("cursor", start + hub.page_size)] + [("expand", e) for e in expand or []]
            headers["Link"] = f'<{hub.url}/api/{repo_type}s?{urlencode(params)}>; rel="next"'
        self._json(200, [r.json(expand) for r in page], headers)

    def _info(self, repo_type: str, repo_id: str, query: dict):
        hub = self.hub
        if (repo_type, repo_id) in hub.redirects:
            new = hub.redirects[(repo_type, repo_id)]
            location = f"/api/{repo_type}s/{quote(new)}"
            if urlsplit(self.path).query:
                location += "?" + urlsplit(self.path).query
            self._send(307, b"", {"Location": location})
            return
        repo = hub.repos.get((repo_type, repo_id))
        if repo is None or (repo.private and not self._authorised()):
            return self._error(401, "RepoNotFound", "Repository not found")
        self._json(200, repo.json(query.get("expand") or None))

    def _resolve(self, method: str, segments: list[str]):
        hub = self.hub
        head = method == "HEAD"
        repo_type = "model"
        if segments[0] in ("datasets", "spaces"):
            repo_type, segments = TYPES[segments[0]], segments[1:]
        at = segments.index("resolve")
        repo_id, revision, filename = "/".join(segments[:at]), segments[at + 1], "/".join(segments[at + 2:])
        repo = hub.repos.get((repo_type, repo_id))
        if repo is None or (repo.private and not self._authorised()):
            return self._error(401, "RepoNotFound", "Repository not found", head=head)
        if repo.gated and not self._authorised():
            return self._error(401, "GatedRepo", "Access to this repository is restricted", head=head)
        if revision not in (repo.sha, "main"):
            return self._error(404, "RevisionNotFound", "Invalid rev id", head=head)
        commit = {"X-Repo-Commit": repo.sha}
        if filename != "README.md" or repo.readme is None:
            return self._error(404, "EntryNotFound", "Entry not found", head=head, headers=commit)
        body = repo.readme.encode()
        etag = hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest()
        self._send(200, body, {"Content-Type": "text/plain; charset=utf-8", "ETag": f'"{etag}"', **commit,
                               "Accept-Ranges": "bytes"}, head=head)


@pytest.fixture
def fake_hub(settings):
    """A running fake Hub that hubsync talks to (HF_ENDPOINT), with no token configured."""
    hub = FakeHub().start()
    settings.HF_ENDPOINT = hub.url
    settings.HF_TOKEN = ""
    yield hub
    hub.stop()
