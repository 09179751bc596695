"""`make run` starts a real Celery worker next to the web server; check that such a worker process
takes tasks from the embedded broker (and from Redis when configured)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SEND = "from meetup.celery import app; print(app.send_task('meetup.ping', queue='default').get(timeout=60))"


def _round_trip(env: dict) -> str:
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "meetup", "worker", "-Q", "default", "-c", "1", "--pool", "solo",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        result = subprocess.run([sys.executable, "-c", SEND], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=90)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="meetup.settings", **extra)
    return env


def test_a_worker_process_serves_the_embedded_file_system_broker(tmp_path):
    started = time.monotonic()

    assert _round_trip(_env(tmp_path)) == "pong"
    assert time.monotonic() - started < 60


@pytest.mark.redis
def test_a_worker_process_serves_the_redis_broker(tmp_path):
    # A database of its own, so a test run never meets another run's messages.
    url = settings.REDIS_URL.rsplit("/", 1)[0] + "/15" if settings.REDIS_URL else ""

    assert _round_trip(_env(tmp_path, REDIS_URL=url)) == "pong"
