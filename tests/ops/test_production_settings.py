"""A deployment refuses to start on settings that would make it unsafe, and passes Django's
deployment checks on the settings the README gives."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = secrets.token_urlsafe(50)
CLEARED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "EMAIL_URL",
    "SMS_BACKEND",
    "PUBLIC_BASE_URL",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "SENTRY_DSN",
    "METRICS_TOKEN",
    "LOG_FORMAT",
}


def run_python(tmp_path, code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="meetup.settings", **env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=90)


def setting(tmp_path, name: str, **env) -> subprocess.CompletedProcess:
    return run_python(
        tmp_path, f"import django; django.setup(); from django.conf import settings; print(settings.{name})", **env
    )


DEPLOYED = {"PUBLIC_BASE_URL": "https://meetup.example.org", "DEBUG": "false"}


def test_a_deployment_without_a_secret_key_refuses_to_start_and_says_how_to_make_one(tmp_path):
    result = setting(tmp_path, "SECRET_KEY", **DEPLOYED)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY must be set when DEBUG is false" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("key", ["change-me-to-a-long-random-string", "x" * 60, "too-short-but-random-Zq81"])
def test_a_placeholder_or_short_secret_key_refuses_to_start(tmp_path, key):
    result = setting(tmp_path, "SECRET_KEY", SECRET_KEY=key, **DEPLOYED)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr
    assert "token_urlsafe" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(REAL_KEY + "\n")

    result = setting(tmp_path, "SECRET_KEY", SECRET_KEY_FILE=str(key_file), **DEPLOYED)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == REAL_KEY


def test_a_missing_secret_key_file_refuses_to_start(tmp_path):
    result = setting(tmp_path, "SECRET_KEY", SECRET_KEY_FILE=str(tmp_path / "nope"), **DEPLOYED)

    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY_FILE" in result.stderr


def test_debug_still_runs_on_a_generated_key(tmp_path):
    result = setting(tmp_path, "SECRET_KEY", DEBUG="true", PUBLIC_BASE_URL="https://meetup.example.org")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").read_text().strip() == result.stdout.strip()


def test_allowed_hosts_follow_the_public_address_unless_set(tmp_path):
    derived = setting(tmp_path, "ALLOWED_HOSTS", SECRET_KEY=REAL_KEY, **DEPLOYED)
    explicit = setting(tmp_path, "ALLOWED_HOSTS", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="a.example,b.example", **DEPLOYED)

    assert derived.stdout.strip() == "['meetup.example.org', 'localhost', '127.0.0.1', '[::1]']", derived.stderr
    assert explicit.stdout.strip() == "['a.example', 'b.example']"


def test_the_deployment_checks_pass_for_an_https_site_with_a_real_key(tmp_path):
    result = run_python(
        tmp_path,
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        SECRET_KEY=REAL_KEY,
        **DEPLOYED,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_https_redirects_and_hsts_are_on_for_an_https_site_and_healthz_is_exempt(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_REDIRECT_EXEMPT[0])"
    )

    https = run_python(tmp_path, code, SECRET_KEY=REAL_KEY, **DEPLOYED)
    local = run_python(tmp_path, code)

    assert https.stdout.split() == ["True", "31536000", "^healthz$"], https.stderr
    assert local.stdout.split()[:2] == ["False", "0"]


def test_healthz_answers_over_http_while_everything_else_redirects_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    redirect = client.get("/")
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")


def test_the_embedded_broker_keeps_its_control_folder_under_data_dir(tmp_path):
    result = setting(tmp_path, "CELERY_BROKER_TRANSPORT_OPTIONS['control_folder']")

    assert result.stdout.strip() == str(tmp_path / "broker" / "control"), result.stderr


def test_every_task_has_a_time_limit_and_the_visibility_timeout_outlasts_it(tmp_path):
    code = (
        "import django; django.setup(); from meetup.celery import app; app.loader.import_default_modules(); "
        "c = app.conf; "
        "print(c.task_soft_time_limit, c.task_time_limit, c.broker_transport_options['visibility_timeout'], "
        "c.task_ignore_result, app.tasks['meetup.ping'].ignore_result, app.tasks['demos.run'].time_limit)"
    )

    result = run_python(tmp_path, code)

    soft, hard, visibility, ignore, ping_ignores, demo_hard = result.stdout.split()
    assert 0 < int(soft) < int(hard) < int(visibility), result.stderr
    assert (ignore, ping_ignores) == ("True", "False")
    assert int(demo_hard) < int(visibility)


def test_a_visibility_timeout_shorter_than_a_task_refuses_to_start(tmp_path):
    result = setting(tmp_path, "CELERY_VISIBILITY_TIMEOUT", CELERY_VISIBILITY_TIMEOUT="100")

    assert "ImproperlyConfigured" in result.stderr and "CELERY_VISIBILITY_TIMEOUT" in result.stderr


def test_email_has_a_timeout(tmp_path):
    result = setting(tmp_path, "EMAIL_TIMEOUT", EMAIL_URL="smtp://mail.example.org:25")

    assert result.stdout.strip() == "10", result.stderr


def test_static_files_are_collected_outside_the_data_directory(tmp_path):
    result = setting(tmp_path, "STATIC_ROOT")

    assert not Path(result.stdout.strip()).is_relative_to(tmp_path), result.stderr
