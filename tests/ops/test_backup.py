"""`make backup` and `make restore` (pg_dump's custom format) bring a site back whole: a new database
restored from the dump serves the same event and RSVPs."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection

from meetup.accounts.services import api_token_issue
from tests.conftest import free_port
from tests.factories import EventFactory, RSVPFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


def make(target: str, **env) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def web_on(tmp_path):
    """A gunicorn server on the given database; answers its base URL."""
    processes = []

    def start(url: str) -> str:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DATA_DIR": str(tmp_path / "web"),
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "false",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
        }
        env.pop("REDIS_URL", None)
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        log = open(tmp_path / "web.log", "w")  # noqa: SIM115 - closed with the process
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "meetup.wsgi", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    return base
            except requests.RequestException:
                time.sleep(0.3)
        raise AssertionError((tmp_path / "web.log").read_text()[-2000:])

    yield start
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore (postgresql-client)")
def test_a_backup_restored_into_a_new_database_serves_the_same_event_and_rsvps(tmp_path, restored_database, web_on):
    organiser = UserFactory()
    event = EventFactory(capacity=2)
    event.organisers.add(organiser)
    for status in ("going", "going", "waitlisted"):
        RSVPFactory(event=event, status=status)
    from meetup.events import capacity

    capacity.recount(event)
    _, key = api_token_issue(user=organiser)
    backup = tmp_path / "meetup.dump"

    make("backup", DATABASE_URL=database_url(connection.settings_dict["NAME"]), BACKUP=str(backup))
    make("restore", DATABASE_URL=database_url(restored_database), BACKUP=str(backup))
    site = web_on(database_url(restored_database))

    headers = {"Authorization": f"Bearer {key}"}
    detail = requests.get(f"{site}/api/events/{event.slug}", headers=headers, timeout=10).json()
    rsvps = requests.get(f"{site}/api/events/{event.slug}/rsvps", headers=headers, timeout=10).json()
    assert (detail["title"], detail["going_count"], detail["waitlist_count"]) == (event.title, 2, 1)
    assert sorted(item["status"] for item in rsvps["items"]) == ["going", "going", "waitlisted"]
    assert backup.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
