"""The one place that talks to the Hugging Face Hub, through `huggingface_hub`.

Answers are plain dataclasses; failures are the few exceptions below, so callers never see
`huggingface_hub` or HTTP details. `HF_ENDPOINT` points it at another Hub (a mirror, or the local
fake server the tests and benchmarks run).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import httpx2
from django.conf import settings
from django.utils.translation import gettext
from huggingface_hub import HfApi, constants, hf_hub_url, snapshot_download
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
)
from huggingface_hub.utils import (
    build_hf_headers,
    get_session,
    hf_raise_for_status,
    parse_ratelimit_headers,
    validate_repo_id,
)

REPO_TYPES = ("model", "dataset", "space")
# Only what a refresh needs: a list page then carries no siblings, configs or widget data.
EXPAND = ["author", "sha", "lastModified", "private", "gated", "likes", "downloads", "pipeline_tag", "library_name",
          "tags", "cardData"]
EXPAND_BY_TYPE = {
    "model": EXPAND,
    "dataset": [e for e in EXPAND if e not in ("pipeline_tag", "library_name")],
    "space": ["author", "sha", "lastModified", "private", "likes", "tags", "cardData", "sdk"],
}
CARD_MAX_BYTES = 200_000


class HubError(Exception):
    """The Hub could not answer (network, 5xx, an unexpected reply)."""


class RepoNotFound(HubError):
    """No such repository, or one we may not see (the Hub answers the same for private ones)."""


class RateLimited(HubError):
    def __init__(self, retry_after: int):
        super().__init__(f"rate limited by the Hub; retry in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class RepoRef:
    repo_type: str
    repo_id: str

    @property
    def path(self) -> str:
        return self.repo_id if self.repo_type == "model" else f"{self.repo_type}s/{self.repo_id}"

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True)
class RepoInfo:
    repo_type: str
    repo_id: str
    sha: str
    private: bool
    gated: str  # "", "auto" or "manual"
    likes: int
    downloads: int
    pipeline_tag: str
    library_name: str
    tags: list[str] = field(default_factory=list)
    card_data: dict = field(default_factory=dict)
    last_modified: datetime | None = None

    @property
    def license(self) -> str:
        value = self.card_data.get("license")
        if isinstance(value, list):
            value = value[0] if value else ""
        if not value:
            value = next((t.removeprefix("license:") for t in self.tags if t.startswith("license:")), "")
        return str(value or "")


_HUB_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(?P<path>.+)$", re.IGNORECASE)
_TYPE_PREFIX = {"datasets": "dataset", "spaces": "space", "models": "model"}
# Anything after the repo id in a Hub URL: /tree/main, /blob/main/README.md, /resolve/..., /discussions.
_URL_TAIL = re.compile(r"/(?:tree|blob|resolve|raw|commit|commits|discussions|settings|files|viewer)(?:/.*)?$")


def parse_ref(text: str) -> RepoRef:
    """A repository from what a person pasted: `org/name`, `gpt2`, `datasets/org/name`, or a Hub URL
    (huggingface.co, hf.co or HF_ENDPOINT). Raises ValueError saying what is wrong."""
    value = (text or "").strip()
    endpoint = urlsplit(settings.HF_ENDPOINT)
    if endpoint.netloc and value.startswith(f"{endpoint.scheme}://{endpoint.netloc}/"):
        value = value[len(f"{endpoint.scheme}://{endpoint.netloc}/"):]
    elif match := _HUB_URL.match(value):
        value = match.group("path")
    elif value.startswith(("http://", "https://")):
        raise ValueError(gettext("%(text)r is not a Hugging Face Hub address.") % {"text": text})
    value = _URL_TAIL.sub("", value.split("?", 1)[0].split("#", 1)[0]).strip("/")
    repo_type = "model"
    head, _, rest = value.partition("/")
    if head in _TYPE_PREFIX and rest:
        repo_type, value = _TYPE_PREFIX[head], rest
    if not value or value.count("/") > 1:
        raise ValueError(gettext("%(text)r is not a Hub repository: use owner/name or a huggingface.co link.") % {
            "text": text})
    try:
        validate_repo_id(value)
    except HFValidationError:
        raise ValueError(gettext("%(text)r is not a valid Hub repository id.") % {"text": text}) from None
    return RepoRef(repo_type, value)


def _retry_after(exc: HfHubHTTPError) -> int:
    """Seconds the Hub asked us to wait: its RateLimit header, else Retry-After, else a minute."""
    headers = exc.response.headers if exc.response is not None else {}
    info = parse_ratelimit_headers(headers)
    if info is not None:
        return max(1, info.reset_in_seconds)
    value = headers.get("Retry-After", "")
    return max(1, int(value)) if value.strip().isdigit() else 60


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, RepositoryNotFoundError):  # GatedRepoError is one too
        return RepoNotFound("not found")
    if isinstance(exc, HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else None
        if status == 429:
            return RateLimited(_retry_after(exc))
        if status == 404:
            return RepoNotFound("not found")
        return HubError(f"the Hub answered {status}")
    if isinstance(exc, httpx2.HTTPError | OSError):
        return HubError(f"the Hub could not be reached: {exc.__class__.__name__}")
    return exc


def _gated(value) -> str:
    return value if value in ("auto", "manual") else ""


def _info(repo_type: str, raw) -> RepoInfo:
    card = getattr(raw, "card_data", None)
    card_data = card.to_dict() if card is not None and hasattr(card, "to_dict") else dict(card or {})
    return RepoInfo(
        repo_type=repo_type, repo_id=raw.id, sha=raw.sha or "", private=bool(raw.private),
        gated=_gated(getattr(raw, "gated", None)), likes=raw.likes or 0, downloads=getattr(raw, "downloads", 0) or 0,
        pipeline_tag=getattr(raw, "pipeline_tag", None) or "", library_name=getattr(raw, "library_name", None)
        or getattr(raw, "sdk", None) or "",
        tags=list(raw.tags or []), card_data=card_data, last_modified=raw.last_modified,
    )


class HubClient:
    def __init__(self, *, endpoint: str | None = None, token: str | None = None, timeout: float = 15.0):
        # token=False, not None: never fall back to a token saved on the machine by `hf auth login`.
        self.api = HfApi(endpoint=endpoint or settings.HF_ENDPOINT, token=token or False)
        self.timeout = timeout

    def repo_info(self, ref: RepoRef) -> RepoInfo:
        """Metadata of one repository. The Hub answers an old id with a redirect to the canonical
        one, which the returned `repo_id` carries. Raises RepoNotFound, RateLimited or HubError."""
        try:
            raw = self.api.repo_info(ref.repo_id, repo_type=ref.repo_type, timeout=self.timeout,
                                     expand=EXPAND_BY_TYPE[ref.repo_type])
        except Exception as exc:
            raise _translate(exc) from exc
        return _info(ref.repo_type, raw)

    def list_repos(self, repo_type: str, *, author: str) -> Iterator[RepoInfo]:
        """Every repository of one owner, page by page (the Hub's `Link: rel="next"`)."""
        listing = {"model": self.api.list_models, "dataset": self.api.list_datasets,
                   "space": self.api.list_spaces}[repo_type]
        try:
            for raw in listing(author=author, expand=EXPAND_BY_TYPE[repo_type]):
                yield _info(repo_type, raw)
        except Exception as exc:
            raise _translate(exc) from exc

    def readme(self, ref: RepoRef, *, revision: str) -> str | None:
        """README.md at `revision`, or None when the repository has none or does not show it to
        everyone. Fetched without our token: a gated card we can read must not be republished.

        One GET of the file URL, as `hf_hub_download` makes after its HEAD; the text goes to the
        database, so the download cache (a HEAD, lock files and links per file) would only cost.
        """
        url = hf_hub_url(ref.repo_id, "README.md", repo_type=ref.repo_type, revision=revision or "main",
                         endpoint=self.api.endpoint)
        try:
            with get_session().stream("GET", url, headers=build_hf_headers(token=False), timeout=self.timeout,
                                      follow_redirects=True) as response:
                if response.status_code >= 400:
                    response.read()
                    hf_raise_for_status(response)
                data = b""
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) >= CARD_MAX_BYTES:
                        break
        except (RemoteEntryNotFoundError, GatedRepoError, RepositoryNotFoundError):
            return None
        except Exception as exc:
            raise _translate(exc) from exc
        return data[:CARD_MAX_BYTES].decode("utf-8", errors="replace")


def hub_client() -> HubClient:
    return HubClient(endpoint=settings.HF_ENDPOINT, token=settings.HF_TOKEN or None)


# Weights in other formats than the one transformers loads would only fill the disk.
SNAPSHOT_IGNORE = ["*.h5", "*.msgpack", "*.onnx", "*.ot", "*.tflite", "*.gguf", "*.mlmodel", "onnx/*", "openvino/*",
                   "coreml/*", "flax_model*", "tf_model*", "rust_model*"]


class HubOffline(HubError):
    """HF_HUB_OFFLINE is set, so nothing can be downloaded."""


def model_snapshot_download(repo_id: str, *, revision: str, cache_dir: str) -> str:
    """Download a model's files at a pinned revision into `cache_dir` (the gpu worker's model
    cache) and return the snapshot's path; PyTorch pickles only when there are no safetensors."""
    if constants.HF_HUB_OFFLINE:
        raise HubOffline("HF_HUB_OFFLINE is set: run this with HF_HUB_OFFLINE=0.")
    token = settings.HF_TOKEN or None
    api = HfApi(endpoint=settings.HF_ENDPOINT, token=token)
    files = [s.rfilename for s in api.model_info(repo_id, revision=revision).siblings or []]
    ignore = SNAPSHOT_IGNORE + (["*.bin", "*.pt", "*.pth"] if any(f.endswith(".safetensors") for f in files) else [])
    return snapshot_download(repo_id, revision=revision, cache_dir=cache_dir, endpoint=settings.HF_ENDPOINT,
                             token=token, ignore_patterns=ignore)
