"""The real stack for benchmarks: a fresh PostgreSQL database, gunicorn, wrk and pgbench.

Benchmarks import this before Django: it points the settings at the benchmark database.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meetup_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 30,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
    # gunicorn.conf.py recycles a worker every ~1,000 requests (a guard against slow leaks): in a
    # burst of a few thousand requests on 4 workers that restart lands inside the measurement and
    # is all the tail shows, so benchmarks measure the steady state without it.
    "GUNICORN_MAX_REQUESTS": "0",
    "DJANGO_SETTINGS_MODULE": "meetup.settings",
}
sys.path.insert(0, str(ROOT))


def require(*tools: str) -> None:
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        sys.exit(f"missing: {', '.join(missing)} (apt-get install {' '.join(missing)})")


def fresh_database() -> None:
    """Drop and re-create the benchmark database, migrate it, then set Django up against it."""
    url = urlsplit(DATABASE_URL)
    name, admin = url.path.lstrip("/"), f"{url.scheme}://{url.netloc}/postgres"
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
    # DEBUG is off: pages name their static files through the manifest collectstatic writes.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    os.environ.update(ENV)
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 4, worker_class: str = os.environ.get("BENCH_WORKER_CLASS", "sync"),
             threads: int = int(os.environ.get("BENCH_THREADS", 1)), app: str = "meetup.wsgi", env: dict | None = None):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", app, "--pythonpath", str(Path(__file__).parent),
               "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
               "--backlog", "2048", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env={**ENV, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# Each wrk thread takes every n-th line of a file (args[1] threads, args[2] path) and hands them out
# one per request through next_item(); args[3] onwards stay for the script.
EACH_ITEM_ONCE = """
local items, mine, i, counter = {}, {}, 0, 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
function init(args)
  local nthreads, path = tonumber(args[1]), args[2]
  extra = args[3]
  for line in io.lines(path) do items[#items + 1] = line end
  for k = tid + 1, #items, nthreads do mine[#mine + 1] = items[k] end
  -- wrk may build a first request it never sends: send the first item again at the end.
  mine[#mine + 1] = mine[1]
end
function next_item()
  i = i + 1
  return mine[math.min(i, #mine)]
end
"""

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format('WRK {"requests": %d, "duration_s": %.4f, "errors": %d, "non_2xx": %d, '
      .. '"p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f}\\n',
      summary.requests, summary.duration / 1e6, errors, summary.errors.status,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk(url: str, script: str, *, connections: int, duration: int, args=(), until=None,
        allow_errors: bool = False) -> dict:
    """Run wrk with a Lua script; `until()` returning True stops it early (SIGINT, as a person would).
    A run with answers other than 2xx fails (a fast stream of errors is not a result) unless
    `allow_errors`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script + WRK_REPORT)
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "-s", handle.name,
               url, "--", *map(str, args)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if until is not None:
        while process.poll() is None:
            if until():
                process.send_signal(signal.SIGINT)
                break
            time.sleep(0.02)
    output = process.communicate(timeout=duration + 60)[0]
    os.unlink(handle.name)
    match = re.search(r"^WRK (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(output)
    report = json.loads(match.group(1))
    if report["non_2xx"] and not allow_errors:
        raise RuntimeError(f"{url}: {report['non_2xx']} of {report['requests']} answers were not 2xx")
    report["per_s"] = report["requests"] / report["duration_s"]
    return report


def reached(count, target: int):
    """A stop condition for wrk: `count()` reached `target`, or nearly did and stalled for 0.5 s
    (so one lost request cannot hang a run)."""
    state = {"count": -1, "since": 0.0}

    def check() -> bool:
        value, now = count(), time.monotonic()
        if value != state["count"]:
            state.update(count=value, since=now)
        return value >= target or (value >= target * 0.99 and now - state["since"] > 0.5)

    return check


def pgbench(script: str, *, clients: int, seconds: int) -> float:
    """Transactions per second of a pgbench script against the benchmark database."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    url = urlsplit(DATABASE_URL)
    result = subprocess.run(
        ["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", handle.name,
         "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres", url.path.lstrip("/")],
        capture_output=True, text=True, check=True)
    os.unlink(handle.name)
    return float(re.search(r"tps = ([\d.]+)", result.stdout).group(1))


def report(name: str, result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": name, "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "machine": f"{os.cpu_count()} cores", **result}
    text = json.dumps(result)
    (RESULTS / f"{name}.json").write_text(text + "\n")
    print(text)


def users_with_tokens(n: int, prefix: str) -> tuple[list, list[str]]:
    """n users, each with an API token; returns the users and their tokens, in order."""
    from meetup.accounts.models import ApiToken, User
    from meetup.accounts.services import api_token_build

    users = User.objects.bulk_create(
        User(username=f"{prefix}{i:06d}", email=f"{prefix}{i:06d}@example.org") for i in range(n))
    built = [api_token_build(user=user, name="bench") for user in users]
    ApiToken.objects.bulk_create((token for token, _ in built), batch_size=2000)
    return users, [key for _, key in built]
