"""Logs that carry the request or task id, errors to Sentry, and the Prometheus endpoint."""

import io
import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from meetup.celery import app as celery_app
from meetup.lib.logs import ContextFilter, formatter
from tests.factories import EventFactory
from tests.ops.test_production_settings import run_python
from tests.outbox import deliver_all

TOKEN = "scrape-token-for-the-tests"


@pytest.fixture
def captured():
    """What the app's log handler would write, as JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_request_gets_an_id_in_its_response_and_its_log_lines(client, db, monkeypatch, captured):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")  # healthz logs a warning

    response = client.get("/healthz")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    line = next(entry for entry in captured() if entry["logger"] == "meetup.views")
    assert line["request_id"] == request_id
    assert {"time", "level", "logger", "message"} <= set(line) and line["level"] == "WARNING"


def test_a_request_id_from_the_proxy_is_kept_and_a_malformed_one_replaced(client, db):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})

    assert kept["X-Request-ID"] == "lb-1234.abc"
    assert replaced["X-Request-ID"] != "bad id\nwith newline" and len(replaced["X-Request-ID"]) == 32


def test_log_lines_written_by_a_task_carry_its_id(captured):
    @celery_app.task(name="tests.says_hello", shared=False)
    def says_hello():
        logging.getLogger("tests.task").warning("hello from a task")

    result = says_hello.apply()

    line = next(entry for entry in captured() if entry["logger"] == "tests.task")
    assert line["task_id"] == result.id and "request_id" not in line


def test_text_logs_name_time_level_logger_and_ids():
    record = logging.LogRecord("meetup.x", logging.INFO, __file__, 1, "hello %s", ("there",), None)
    ContextFilter().filter(record)

    line = formatter("text").format(record)

    assert line.endswith(" INFO meetup.x [request=- task=-] hello there")
    assert line[:4].isdigit() and "Z " in line


def test_errors_go_to_sentry_without_personal_data_when_a_dsn_is_set(tmp_path):
    code = (
        "import django; django.setup(); import sentry_sdk; o = sentry_sdk.get_client().options; "
        "print(o['dsn'], o['send_default_pii'], sorted(i for i in sentry_sdk.get_client().integrations "
        "if i in ('django', 'celery')))"
    )

    result = run_python(tmp_path, code, SENTRY_DSN="https://public@sentry.example.org/1")

    assert result.stdout.strip().split(maxsplit=2) == [
        "https://public@sentry.example.org/1",
        "False",
        "['celery', 'django']",
    ], result.stderr


# --- /metrics ---------------------------------------------------------------------------------------
def scrape(client, token=TOKEN):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_metrics_are_off_without_a_token(client, db, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404


def test_metrics_are_refused_without_the_bearer_token(client, db, settings):
    settings.METRICS_TOKEN = TOKEN

    missing = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})

    assert missing.status_code == wrong.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert b"meetup_" not in missing.content + wrong.content


def test_counts_move_after_an_rsvp_and_a_delivery(api, client, attendee, settings):
    settings.METRICS_TOKEN = TOKEN
    event = EventFactory(code_of_conduct_url="https://example.org/coc")
    before = scrape(client)

    api(attendee).post(f"/api/events/{event.slug}/rsvp", {"accept_code_of_conduct": True})
    deliver_all(channels=("email",))
    after = scrape(client)

    going = ("meetup_rsvps", (("status", "going"),))
    sent = ("meetup_deliveries", (("channel", "email"), ("status", "sent")))
    assert (before[going], after[going]) == (0, 1)
    assert (before[sent], after[sent]) == (0, 1)
    assert after[("meetup_outbox_oldest_due_age_seconds", ())] == 0
    assert after[("meetup_demo_runs", (("status", "queued"),))] == 0
    assert ("meetup_celery_queue_length", (("queue", "sms"),)) in after


def test_request_latency_is_measured_per_view(api, client, attendee, settings):
    settings.METRICS_TOKEN = TOKEN
    api(attendee).get("/api/me")

    samples = scrape(client)

    counts = [
        value
        for (name, labels), value in samples.items()
        if name == "meetup_http_request_duration_seconds_count"
        and ("method", "GET") in labels
        and ("status", "200") in labels
        and any(k == "view" and "me" in v for k, v in labels)
    ]
    assert counts and counts[0] >= 1


def test_the_alert_rules_use_only_metrics_the_endpoint_exports(api, client, attendee, settings):
    import re
    from pathlib import Path

    import yaml

    settings.METRICS_TOKEN = TOKEN
    api(attendee).get("/api/me")
    exported = {name for name, _ in scrape(client)} | {"up"}
    rules = yaml.safe_load((Path(__file__).resolve().parents[2] / "deploy" / "alerts.yml").read_text())

    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert {"MeetupOutboxLagging", "MeetupBeatStopped", "MeetupQueueBacklog"} <= {a["alert"] for a in alerts}
    for alert in alerts:
        used = set(re.findall(r"\b(meetup_[a-z_]+|up)\b", alert["expr"]))
        assert used and used <= exported | {"meetup_beat_heartbeat_age_seconds"}, (alert["alert"], used - exported)
        assert alert["annotations"]["summary"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_request_counts_add_up_across_gunicorn_workers(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    import requests
    from django.db import connection

    from tests.conftest import free_port

    db = connection.settings_dict
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PROMETHEUS_MULTIPROC_DIR"}}
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DATA_DIR=str(tmp_path),
        METRICS_TOKEN=TOKEN,
        WEB_CONCURRENCY="2",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        DEBUG="false",
    )
    root = Path(__file__).resolve().parents[2]
    with open(tmp_path / "web.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "meetup.wsgi", "-c", "gunicorn.conf.py"],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:  # ready once /metrics answers; healthz is what gets counted
                requests.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()[-2000:]
                time.sleep(0.3)

        def healthz_count() -> float:
            text = requests.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).text
            return sum(
                sample.value
                for family in text_string_to_metric_families(text)
                for sample in family.samples
                if sample.name == "meetup_http_request_duration_seconds_count" and sample.labels["view"] == "healthz"
            )

        before = healthz_count()
        assert before == 0
        session = requests.Session()  # a new connection each time: either worker may answer
        sent = 0
        while sent < 20 or (len(list((tmp_path / "prometheus").glob("histogram_*.db"))) < 2 and sent < 500):
            session.get(f"{base}/healthz", headers={"Connection": "close"}, timeout=10)
            sent += 1
        after = healthz_count()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    assert after - before == sent  # whichever worker answered each
    assert len(list((tmp_path / "prometheus").glob("histogram_*.db"))) == 2
