"""The compose file is what operators run; check its shape without a Docker engine."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_runs_the_whole_stack(compose):
    assert {"web", "worker", "beat", "gpu-worker", "db", "redis", "mail"} <= set(compose["services"])


def test_web_serves_with_gunicorn_after_migrating(compose):
    services = compose["services"]
    command = " ".join(services["web"]["command"])

    assert "exec gunicorn meetup.wsgi" in command and "gunicorn.conf.py" in command
    assert "migrate" in services["migrate"]["command"] and services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "messages-worker", "beat", "gpu-worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name


def test_workers_split_the_queues_and_only_the_gpu_worker_takes_gpu(compose):
    services = compose["services"]
    worker, messages, gpu = (services[name]["command"] for name in ("worker", "messages-worker", "gpu-worker"))

    assert "-Q default " in worker and "gpu" not in worker
    assert "-Q sms,email " in messages and "gpu" not in messages and "default" not in messages
    assert "-Q gpu" in gpu and "-P prefork" in gpu and "-c 1" in gpu and "--prefetch-multiplier 1" in gpu
    assert "celery -A meetup beat" in services["beat"]["command"]


def test_the_gpu_worker_reserves_an_nvidia_device_and_a_model_cache(compose):
    gpu = compose["services"]["gpu-worker"]
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]

    assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]
    assert any(volume.startswith("models:") for volume in gpu["volumes"])
    assert gpu["environment"]["HF_HUB_OFFLINE"] == "1"


def test_app_services_read_env_and_reach_postgres_and_redis(compose):
    for name in ("web", "worker", "beat", "gpu-worker"):
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["REDIS_URL"].startswith("redis://")


def test_the_example_env_names_only_known_settings():
    names = {line.lstrip("# ").split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
             if "=" in line}
    settings_text = (ROOT / "meetup" / "settings.py").read_text() + (ROOT / "gunicorn.conf.py").read_text()

    assert all(f'"{name}"' in settings_text for name in names), names


def test_the_gpu_worker_image_installs_the_model_runtime(compose):
    gpu = compose["services"]["gpu-worker"]

    assert gpu["build"]["args"]["EXTRAS"] == "demos" and gpu["image"] != compose["services"]["web"]["image"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'if [ "$EXTRAS" = "demos" ]; then /venv/bin/pip install --require-hashes -r requirements/gpu.txt' in (
        dockerfile
    )
