"""Real Celery worker processes for the tests that are about workers."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def broker_url(db: int) -> str:
    """A Redis database of the test's own, emptied, so a run never meets another run's messages."""
    url = settings.REDIS_URL.rsplit("/", 1)[0] + f"/{db}"
    redis.Redis.from_url(url).flushdb()
    return url


def worker_env(broker: str, tmp_path, **extra) -> dict:
    """The environment of a worker on the test database and the given broker."""
    db = connection.settings_dict
    return {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": broker, "DATA_DIR": str(tmp_path), **{k: str(v) for k, v in extra.items()}}


def start_worker(env: dict, queues: str, *, concurrency: int = 1, pool: str = "solo") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "meetup", "worker", "-Q", queues, "-c", str(concurrency), "--pool", pool,
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


def stop_worker(worker: subprocess.Popen, *, kill: bool = False) -> str:
    """Stop a worker (SIGTERM, or SIGKILL to the whole process group); returns its stderr."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL if kill else signal.SIGTERM)
    _, stderr = worker.communicate(timeout=60)
    return stderr or ""
