import time

import pytest
import redis
from django.conf import settings

from meetup.celery import app as celery_app
from meetup.lib import beat


def test_it_answers_200_when_database_and_broker_answer(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    expected = {"database": "ok", "broker": "ok", **({"redis": "ok"} if settings.REDIS_URL else {})}
    assert body["checks"] == expected
    assert body["outbox"] == {"status": "ok", "lag_seconds": 0}


def test_it_answers_503_naming_the_broker_when_it_is_down(client, db, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("failed")


def test_a_failure_names_the_dependency_but_never_shows_the_exception_to_the_public(client, db, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.json()["checks"]["broker"] == "failed"
    assert b"Error" not in response.content and b"127.0.0.1" not in response.content


@pytest.mark.redis
def test_it_answers_503_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "failed"


@pytest.mark.redis
def test_it_reports_the_beat_heartbeat_and_a_stale_one_without_failing(client, db, settings):
    server = redis.Redis.from_url(settings.REDIS_URL)
    server.set(beat.HEARTBEAT_KEY, repr(time.time() - 5))
    try:
        assert client.get("/healthz").json()["beat"]["status"] == "ok"

        server.set(beat.HEARTBEAT_KEY, repr(time.time() - settings.HEALTH_BEAT_STALE - 10))
        response = client.get("/healthz")
    finally:
        server.delete(beat.HEARTBEAT_KEY)

    assert response.status_code == 200
    assert response.json()["beat"]["status"] == "stale"


def test_it_reports_the_outbox_lagging_when_a_due_message_waits_too_long(client, db, settings, attendee):
    from datetime import timedelta

    from django.utils import timezone

    from meetup.broadcasts.models import Broadcast, Delivery
    from tests.factories import EventFactory

    event = EventFactory()
    broadcast = Broadcast.objects.create(event=event, body="hello", status=Broadcast.Status.SENDING)
    Delivery.objects.create(broadcast=broadcast, user=attendee, channel=Delivery.Channel.EMAIL,
                            not_before=timezone.now() - timedelta(seconds=settings.HEALTH_OUTBOX_LAG + 60))

    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["outbox"]["status"] == "lagging" and body["outbox"]["lag_seconds"] > settings.HEALTH_OUTBOX_LAG
