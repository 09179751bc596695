"""Blasts through real Celery worker processes on Redis, texting through the real twilio SDK to a
local Twilio-compatible server and emailing a real SMTP server."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from meetup.broadcasts import services
from meetup.broadcasts.models import Delivery
from meetup.events import capacity
from meetup.events.models import RSVP
from tests.factories import EventFactory, RSVPFactory, UserFactory
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.workers import broker_url, start_worker, stop_worker, worker_env

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def daytime():
    """Worker processes run on the real clock, so this test process must too."""
    yield


def _audience(event, n: int) -> list:
    """n people going; every fifth has opted out of texts and every seventh out of email."""
    users = UserFactory.create_batch(n)
    for i, user in enumerate(users):
        user.phone, user.sms_opt_in, user.email_opt_in = f"+1415555{1000 + i:04d}", i % 5 != 0, i % 7 != 0
    type(users[0]).objects.bulk_update(users, ["phone", "sms_opt_in", "email_opt_in"])
    RSVP.objects.bulk_create([
        RSVPFactory.build(event=event, user=user, status="going", notified_status="going") for user in users])
    capacity.recount(event)
    return users


def _tonight():
    # Logistics for an event within 24 hours go out at any hour, so the real clock never holds
    # these texts for quiet hours.
    return EventFactory(capacity=1000, starts_at=timezone.now() + timedelta(hours=12))


def _env(broker, tmp_path, twilio_server, smtp_inbox, **extra):
    return worker_env(
        broker, tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}", SMS_BACKEND="twilio",
        TWILIO_API_URL=twilio_server.url, TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM_NUMBER="+15005550006", SMS_RATE_PER_SECOND=10000, BROADCAST_TASK_SECONDS=3, **extra)


def _tick_until_done(broker, broadcast, timeout=120) -> bool:
    """Play beat: send the tick every second until nothing is queued or in flight."""
    from meetup.celery import app

    deadline = time.monotonic() + timeout
    with app.connection_for_write(broker) as conn:
        while time.monotonic() < deadline:
            app.send_task("broadcasts.tick", queue="default", connection=conn)
            time.sleep(1)
            if not Delivery.objects.filter(broadcast=broadcast, status__in=["queued", "sending"]).exists():
                return True
    return False


def test_two_worker_processes_fan_out_a_blast_exactly_once(twilio_server, smtp_inbox, tmp_path):
    event = _tonight()
    users = _audience(event, 300)
    organiser = UserFactory()
    broker = broker_url(13)
    env = _env(broker, tmp_path, twilio_server, smtp_inbox)
    workers = [start_worker(env, "default,sms,email", concurrency=2, pool="prefork") for _ in range(2)]
    try:
        broadcast = services.broadcast_create(event=event, created_by=organiser, channels="both", kind="logistics",
                                              subject="Doors at 6", body="Doors open at 18:00")
        done = _tick_until_done(broker, broadcast)
    finally:
        errors = [stop_worker(w) for w in workers]

    assert done, errors
    texted = Counter(m["To"] for m in twilio_server.messages)
    emailed = Counter(m["To"] for m in smtp_inbox.messages)
    assert texted == {str(u.phone): 1 for i, u in enumerate(users) if i % 5 != 0}
    assert emailed == {u.email: 1 for i, u in enumerate(users) if i % 7 != 0}
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert not Delivery.objects.filter(possible_duplicate=True).exists()


def test_a_worker_killed_mid_blast_loses_nothing_and_reports_its_possible_duplicates(
        twilio_server, smtp_inbox, tmp_path, api):
    event = _tonight()
    users = _audience(event, 200)
    organiser = UserFactory()
    event.organisers.add(organiser)
    broker = broker_url(12)
    twilio_server.latency = 0.02  # so the kill lands mid-blast
    # Small batches keep few messages in flight; claims go stale well after a live batch would finish.
    env = _env(broker, tmp_path, twilio_server, smtp_inbox, BROADCAST_STALE_AFTER=10, BROADCAST_BATCH_SIZE=10)
    from meetup.celery import app

    worker = start_worker(env, "default,sms", concurrency=2, pool="prefork")
    try:
        broadcast = services.broadcast_create(event=event, created_by=organiser, channels="sms", kind="logistics",
                                              body="Doors open at 18:00")
        with app.connection_for_write(broker) as conn:
            app.send_task("broadcasts.tick", queue="default", connection=conn)
        deadline = time.monotonic() + 60
        while twilio_server.count < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop_worker(worker, kill=True)
    sent_before_kill = twilio_server.count
    in_flight = Delivery.objects.filter(broadcast=broadcast, status="sending").count()
    assert 0 < sent_before_kill < 160 and in_flight > 0, (sent_before_kill, in_flight)

    worker = start_worker(env, "default,sms", concurrency=2, pool="prefork")
    try:
        done = _tick_until_done(broker, broadcast)
    finally:
        errors = stop_worker(worker)

    assert done, errors
    consenting = {str(u.phone) for i, u in enumerate(users) if i % 5 != 0}
    texted = Counter(m["To"] for m in twilio_server.messages)
    assert set(texted) == consenting  # nothing lost
    twice = {number for number, n in texted.items() if n > 1}
    flagged = set(Delivery.objects.filter(broadcast=broadcast, possible_duplicate=True)
                  .values_list("user__phone", flat=True))
    assert {str(p) for p in flagged} >= twice  # every duplicate is named in the report
    assert len(flagged) <= in_flight  # and only messages in flight at the kill are suspects
    report = api(organiser).get(f"/api/broadcasts/{broadcast.pk}").json()
    assert (report["sent"], report["possible_duplicates"]) == (len(consenting), len(flagged))
    csv = api(organiser).get(f"/api/broadcasts/{broadcast.pk}/deliveries.csv")
    assert b"".join(csv.streaming_content).decode().count(",True") == len(flagged)
