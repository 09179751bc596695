"""Two hosts, as a deployment runs them: each with a gunicorn web server, a worker and a beat of its
own and a DATA_DIR of its own, sharing one PostgreSQL, one Redis and one SECRET_KEY."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.utils import timezone

from meetup.accounts.services import api_token_issue
from meetup.broadcasts import services
from meetup.demos.models import Demo
from tests.broadcasts.test_workers import _audience
from tests.conftest import free_port
from tests.factories import EventFactory, UserFactory
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.showcase.factories import HubModelFactory, LinkFactory
from tests.workers import broker_url, start_worker, stop_worker, worker_env

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SMS_RATE = 5
FROM = {"a": "+15005550006", "b": "+15005550007"}  # each host texts from its own number


class Host:
    def __init__(self, name: str, env: dict, data_dir: Path):
        self.name, self.env, self.data_dir = name, env, data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []
        self.beat: subprocess.Popen | None = None

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        out = open(self.data_dir / log, "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def start(self) -> None:
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "1"}
        self.env = env
        self._spawn([sys.executable, "-m", "gunicorn", "meetup.wsgi", "-c", "gunicorn.conf.py"], "web.log")
        self.processes.append(start_worker(env, "default,sms,email"))
        self.beat = self._spawn(
            [sys.executable, "-m", "celery", "-A", "meetup", "beat", "--loglevel", "INFO"], "beat.log"
        )

    def wait_until_serving(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError(f"host {self.name} never served: {(self.data_dir / 'web.log').read_text()[-2000:]}")

    def beat_log(self) -> str:
        return (self.data_dir / "beat.log").read_text()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            if process.stderr:
                stop_worker(process)


@pytest.fixture
def hosts(tmp_path, twilio_server, smtp_inbox):
    broker = broker_url(14)  # Redis for everything: broker, cache, rate limits, the beat lock
    made = {}
    for name in ("a", "b"):
        data_dir = tmp_path / f"host-{name}"
        data_dir.mkdir()
        env = worker_env(
            broker,
            data_dir,
            DEBUG="false",
            SECRET_KEY=settings.SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1",
            EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
            SMS_BACKEND="twilio",
            TWILIO_API_URL=twilio_server.url,
            TWILIO_ACCOUNT_SID=ACCOUNT_SID,
            TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_FROM_NUMBER=FROM[name],
            SMS_RATE_PER_SECOND=SMS_RATE,
            BROADCAST_TASK_SECONDS=3,
            BROADCAST_BATCH_SIZE=3,
            DEMO_RUNS_PER_MINUTE_USER=3,
            BEAT_LOCK_TTL=3,
        )
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        made[name] = Host(name, env, data_dir)
    try:
        for host in made.values():
            host.start()
        for host in made.values():
            host.wait_until_serving()
        yield made
    finally:
        for host in made.values():
            host.stop()


def manage(host: Host, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=host.env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_two_hosts_share_links_limits_the_sms_bucket_and_deliver_a_blast_once(hosts, twilio_server, smtp_inbox):
    a, b = hosts["a"], hosts["b"]
    sent_at = []
    accept = twilio_server._accept

    def timed_accept(form):
        sent_at.append(time.monotonic())
        return accept(form)

    twilio_server._accept = timed_accept

    # A blast to 30 people, by text and email, picked up by beat's tick on whichever host schedules.
    event = EventFactory(capacity=1000, starts_at=timezone.now() + timedelta(hours=12))
    people = _audience(event, 30)
    broadcast = services.broadcast_create(
        event=event,
        created_by=UserFactory(),
        channels="both",
        kind="logistics",
        subject="Doors at 6",
        body="Doors open at 18:00",
    )

    # An unsubscribe link signed on host a opts out on host b.
    reader = UserFactory(email_opt_in=True)
    token = manage(
        a,
        f"from meetup.broadcasts.render import unsubscribe_token; from meetup.accounts.models import "
        f"User; print(unsubscribe_token(User.objects.get(pk={reader.pk})))",
    )
    assert requests.post(f"{b.url}/u/{token}/", data={"List-Unsubscribe": "One-Click"}, timeout=10).status_code == 200
    reader.refresh_from_db()
    assert reader.email_opt_in is False

    # A rate limit counted on both hosts: 3 demo runs a minute for one person, wherever they land.
    hub_model = HubModelFactory(pipeline_tag="text-generation")
    demo = Demo.objects.create(
        project=LinkFactory(hub_model=hub_model).project,
        hub_model=hub_model,
        task="text-generation",
        enabled=True,
        revision=hub_model.sha,
    )
    _, key = api_token_issue(user=UserFactory())
    statuses = [
        requests.post(
            f"{host.url}/api/projects/{demo.project.slug}/demo",
            json={"input": "Hello"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        ).status_code
        for host in (a, b, a, b)
    ]
    assert statuses == [202, 202, 202, 429]

    # The blast: everyone who agreed gets one text and one email, and both hosts' workers sent texts
    # through one bucket.
    deadline = time.monotonic() + 120
    while broadcast.deliveries.filter(status__in=["queued", "sending"]).exists() or not broadcast.deliveries.exists():
        assert time.monotonic() < deadline, "the blast never finished"
        time.sleep(0.5)
    texted = Counter(m["To"] for m in twilio_server.messages)
    emailed = Counter(m["To"] for m in smtp_inbox.messages)
    assert texted == {str(u.phone): 1 for i, u in enumerate(people) if i % 5 != 0}
    assert emailed == {u.email: 1 for i, u in enumerate(people) if i % 7 != 0}
    assert {m["From"] for m in twilio_server.messages} == set(FROM.values())
    # 24 texts at 5 a second with a burst of 5 take 3.8 s or more; two buckets would take half that.
    assert sent_at[-1] - sent_at[0] >= (len(sent_at) - SMS_RATE) / SMS_RATE - 0.3

    # One beat scheduled; when it stops, the other takes over.
    sending = {host.name: host.beat_log().count("Sending due task") for host in (a, b)}
    leader, standby = (a, b) if sending["a"] else (b, a)
    assert sending[leader.name] > 0 and sending[standby.name] == 0, sending
    os.killpg(leader.beat.pid, signal.SIGTERM)
    leader.beat.wait(timeout=30)
    deadline = time.monotonic() + 30
    while "Sending due task" not in standby.beat_log():
        assert time.monotonic() < deadline, standby.beat_log()[-2000:]
        time.sleep(0.5)
