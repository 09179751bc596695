import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from meetup.env import env_bool, env_url

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(tmp_path, **env):
    """Import the settings in a fresh interpreter with only the given variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "REDIS_URL", "DEBUG", "EMAIL_URL", "SMS_BACKEND", "PUBLIC_BASE_URL"}}
    clean.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="meetup.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(
    "name, value",
    [
        ("DEBUG", "ture"),
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://root@localhost/meetup"),
        ("DATABASE_URL", "postgres://"),
        ("REDIS_URL", "localhost:6379"),
        ("EMAIL_URL", "smtp://:notaport"),
        ("PUBLIC_BASE_URL", "example.org"),
        ("SMS_BACKEND", "carrier-pigeon"),
        ("SMS_RATE_PER_SECOND", "fast"),
    ],
)
def test_an_invalid_environment_value_stops_start_up(tmp_path, name, value):
    result = _load_settings(tmp_path, **{name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_twilio_backend_without_credentials_stops_start_up(tmp_path):
    result = _load_settings(tmp_path, SMS_BACKEND="twilio")

    assert "ImproperlyConfigured" in result.stderr
    assert "TWILIO_ACCOUNT_SID" in result.stderr


def test_embedded_defaults_need_no_services(tmp_path):
    result = _load_settings(tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]
    assert (tmp_path / "secret_key").exists()


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    result = _load_settings(tmp_path, DATABASE_URL="postgres://u@db:5432/meetup", REDIS_URL="redis://redis:6379/0")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "redis://redis:6379/0"]


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="meetup.settings")
    script = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], connection.transaction_mode)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60)

    assert result.stdout.split() == ["wal", "IMMEDIATE"], result.stderr


@pytest.mark.parametrize("raw, expected", [("true", True), ("1", True), ("off", False), ("No", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)

    assert env_bool("SOME_FLAG", not expected) is expected


def test_a_url_must_have_an_allowed_scheme(monkeypatch):
    monkeypatch.setenv("SOME_URL", "ftp://example.org")

    with pytest.raises(ImproperlyConfigured, match="SOME_URL"):
        env_url("SOME_URL", ("http", "https"))
