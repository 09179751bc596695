"""The image and the compose file, checked without an engine where there is none; built and
validated by Docker itself where there is one."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def docker_answers(*args: str) -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", *args], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile():
    return (ROOT / "Dockerfile").read_text()


def stages(dockerfile: str) -> list[str]:
    return re.split(r"^FROM ", dockerfile, flags=re.MULTILINE)[1:]


def test_the_image_builds(tmp_path):
    if not docker_answers("info"):
        pytest.skip("no Docker engine here: `docker build .` is not tried")
    result = subprocess.run(
        ["docker", "build", "--quiet", "-t", "meetup:test", "."], cwd=ROOT, capture_output=True, text=True, timeout=1800
    )

    assert result.returncode == 0, result.stderr


def test_docker_compose_accepts_the_file(tmp_path):
    if not docker_answers("compose", "version"):
        pytest.skip("no docker compose plugin here: the file is checked by the tests below instead")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        ["docker", "compose", "--profile", "dev", "config", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr


def test_the_image_is_built_in_stages_from_pinned_bases_and_runs_unprivileged(dockerfile):
    bases = re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE)
    python_image = re.search(r"^ARG PYTHON_IMAGE=(\S+)", dockerfile, flags=re.MULTILINE).group(1)

    assert len(bases) == 3
    for image in [python_image, *(b for b in bases if not b.startswith("$"))]:
        assert re.search(r":\d+\.\d+\.\d+", image), f"{image} is not pinned to a release"
    assert re.search(r"^USER meetup$", dockerfile, flags=re.MULTILINE)
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile


def test_node_is_a_supported_release_and_only_in_the_build_stage(dockerfile):
    first, *rest = stages(dockerfile)

    assert first.startswith("node:22.")
    assert all("npm" not in stage and "node:" not in stage for stage in rest)


def test_the_runtime_installs_only_the_lock_and_collects_static_files_outside_the_data_volume(dockerfile):
    builder = stages(dockerfile)[1]

    assert "pip install --require-hashes -r requirements/base.txt" in builder
    assert "pip install --no-deps ." in builder
    assert "ENV" in dockerfile and "DATA_DIR=/data" in dockerfile
    assert "collectstatic" in stages(dockerfile)[2] and "STATIC_ROOT" not in dockerfile


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = set((ROOT / ".dockerignore").read_text().split())

    assert {".env", ".git", "var", ".venv", "node_modules"} <= ignored


def test_web_and_the_mail_catcher_listen_on_loopback_only(compose):
    services = compose["services"]

    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert services["mail"]["profiles"] == ["dev"]
    assert all(port.startswith("127.0.0.1:") for port in services["mail"]["ports"])
    assert not any("ports" in services[name] for name in ("db", "redis", "worker", "messages-worker", "beat"))


def test_workers_and_beat_have_health_checks_and_stop_after_their_tasks(compose):
    services = compose["services"]

    for name in ("web", "worker", "messages-worker", "beat", "gpu-worker"):
        assert services[name]["healthcheck"]["test"], name
    assert "inspect ping" in services["messages-worker"]["healthcheck"]["test"][1]
    assert "beat-alive" in services["beat"]["healthcheck"]["test"][-1]

    def seconds(value: str) -> int:
        return int(value[:-1]) * (60 if value.endswith("m") else 1)

    assert seconds(services["messages-worker"]["stop_grace_period"]) > 20  # BROADCAST_TASK_SECONDS
    assert seconds(services["gpu-worker"]["stop_grace_period"]) > 90  # DEMO_HARD_TIME_LIMIT


def test_service_images_are_pinned(compose):
    for name in ("db", "redis", "mail"):
        image = compose["services"][name]["image"]
        assert re.search(r":v?\d+\.\d+", image) and not image.endswith(":latest"), image


def test_gunicorn_reads_its_settings_from_the_environment():
    config = (ROOT / "gunicorn.conf.py").read_text()

    for setting in ("workers", "timeout", "max_requests", "max_requests_jitter", "accesslog"):
        assert re.search(rf"^{setting} = ", config, flags=re.MULTILINE), setting
    assert "PROMETHEUS_MULTIPROC_DIR" in config and "mark_process_dead" in config


def test_a_gunicorn_worker_loads_the_urls_and_freezes_them_out_of_the_collector(tmp_path):
    """post_worker_init, run as gunicorn runs it in a fresh worker: the URLs (every view, router and
    schema) are imported and what is loaded is frozen, so full collections do not walk it."""
    script = (
        "import gc, runpy, sys, django\n"
        "django.setup()\n"
        "config = runpy.run_path('gunicorn.conf.py')\n"
        "assert 'meetup.urls' not in sys.modules and gc.get_freeze_count() == 0\n"
        "config['post_worker_init'](None)\n"
        "assert 'meetup.urls' in sys.modules and 'meetup.api' in sys.modules\n"
        "assert gc.get_freeze_count() > 10000, gc.get_freeze_count()\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "meetup.settings", "DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_example_env_lists_every_setting_read_from_the_environment():
    example = (ROOT / ".env.example").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', (ROOT / "meetup" / "settings.py").read_text()))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', (ROOT / "gunicorn.conf.py").read_text()))

    assert read and {name for name in read if f"{name}=" not in example} == set()
