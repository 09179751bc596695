"""The outbox as a worker runs it: the real twilio SDK to a local Twilio-compatible server, Django's
SMTP backend to a real SMTP server."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from meetup.accounts.services import consent_set
from meetup.broadcasts import outbox, services
from meetup.broadcasts.models import Delivery
from tests.broadcasts.conftest import person, rsvp
from tests.outbox import deliver_all

pytestmark = pytest.mark.usefixtures("twilio_server", "smtp_inbox")


def _blast(event, organiser, **kwargs):
    values = {"channels": "both", "subject": "1,500 registrations!", "body": "Hi {first_name}, see you at {venue}"}
    return services.broadcast_create(event=event, created_by=organiser, **{**values, **kwargs})


def _statuses(broadcast):
    return sorted(Delivery.objects.filter(broadcast=broadcast).values_list("user__username", "channel", "status"))


def test_every_consenting_recipient_gets_one_message_per_channel(event, crowd, organiser, twilio_server,
                                                                   smtp_inbox):
    broadcast = _blast(event, organiser)

    deliver_all()

    texted = sorted(m["To"] for m in twilio_server.messages)
    assert texted == sorted(str(crowd[k].phone) for k in ("both1", "both2", "sms_only"))
    emailed = sorted(m["To"] for m in smtp_inbox.messages)
    assert emailed == sorted(crowd[k].email for k in ("both1", "both2", "email_only"))
    assert {s for *_, s in _statuses(broadcast)} == {"sent"}
    first = twilio_server.to(str(crowd["both1"].phone))[0]
    assert first["Body"].startswith(f"Hi {crowd['both1'].display_name.split()[0]}, see you at")
    assert first["Body"].endswith("Reply STOP to opt out.")
    assert first["StatusCallback"] == "http://127.0.0.1:8000/hooks/twilio/status"
    assert 0 < int(first["ValidityPeriod"]) <= 36000
    assert Delivery.objects.filter(channel="sms").values_list("provider_id", flat=True)[0].startswith("SM")


def test_the_email_carries_one_click_unsubscribe_headers(event, crowd, organiser, smtp_inbox):
    _blast(event, organiser, channels="email")

    deliver_all()

    message = smtp_inbox.to(crowd["both1"].email)[0]
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://127.0.0.1:8000/u/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.get(user=crowd["both1"]).provider_id == message["Message-ID"]


def test_a_stop_that_arrives_mid_blast_stops_that_persons_remaining_messages(event, crowd, organiser,
                                                                              twilio_server):
    _blast(event, organiser, channels="sms")
    first = outbox.deliveries_claim(channel="sms", limit=1)
    outbox.deliveries_send(first, channel="sms")
    later = next(u for k, u in crowd.items() if k in ("both1", "both2", "sms_only") and u != first[0].user)

    consent_set(user=later, channel="sms", granted=False, source="sms-keyword", wording="STOP")
    deliver_all()

    assert twilio_server.to(str(later.phone)) == []
    assert Delivery.objects.get(user=later).status == "skipped_opted_out"
    assert Delivery.objects.filter(status="sent").count() == 2


def test_a_429_is_retried_after_the_time_the_provider_gives(event, organiser, twilio_server):
    alice = person()
    rsvp(event, alice)
    twilio_server.fail_next(429, retry_after=30)
    _blast(event, organiser, channels="sms")

    deliver_all()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert "Twilio 429" in delivery.error
    assert 25 <= (delivery.not_before - timezone.now()).total_seconds() <= 31

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        deliver_all()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(twilio_server.to(str(alice.phone))) == 1


def test_server_errors_are_retried_with_backoff_then_fail_with_the_reason(event, organiser, twilio_server, settings):
    settings.BROADCAST_MAX_ATTEMPTS = 3
    rsvp(event, person())
    twilio_server.fail_next(500, times=3)
    _blast(event, organiser, channels="sms")
    now = timezone.now()

    waits = []
    for step in range(3):
        with time_machine.travel(now + timedelta(minutes=10 * step)):
            deliver_all()
            delivery = Delivery.objects.get()
            waits.append(round((delivery.not_before - timezone.now()).total_seconds()))

    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "Twilio 500" in delivery.error and "gave up after 3 tries" in delivery.error
    assert waits[:2] == [5, 10]  # exponential backoff between tries
    assert twilio_server.messages == []


def test_a_number_the_provider_says_opted_out_is_skipped_and_emailed_instead(event, organiser, twilio_server,
                                                                               smtp_inbox):
    bob = person()
    rsvp(event, bob)
    twilio_server.opted_out.add(str(bob.phone))
    broadcast = _blast(event, organiser, channels="sms_or_email")

    deliver_all()

    assert _statuses(broadcast) == [(bob.username, "email", "sent"), (bob.username, "sms", "skipped_opted_out")]
    assert "21610" in Delivery.objects.get(channel="sms").error
    assert len(smtp_inbox.to(bob.email)) == 1


def test_texts_are_never_sent_after_the_event(event, organiser, twilio_server):
    rsvp(event, person())
    _blast(event, organiser, channels="sms")

    with time_machine.travel(event.ends_at + timedelta(minutes=1)):
        deliver_all()

    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.error.startswith("Expired")
    assert twilio_server.messages == []


def test_quiet_hours_hold_an_announcement_until_8_in_the_recipients_zone(event, organiser, twilio_server):
    pacific = ZoneInfo("America/Los_Angeles")
    night = datetime(2026, 11, 24, 23, 30, tzinfo=pacific)
    event.starts_at, event.ends_at = night + timedelta(days=3), night + timedelta(days=3, hours=3)
    event.save()
    sf, london = person(phone="+14155550199"), person(phone="+447911123456")
    rsvp(event, sf)
    rsvp(event, london)

    with time_machine.travel(night, tick=False):  # 23:30 in San Francisco, 07:30 in London
        _blast(event, organiser, channels="sms")
        deliver_all()
    held = Delivery.objects.get(user=sf)
    assert held.status == "queued" and held.error == "Held for quiet hours"
    assert held.not_before == datetime(2026, 11, 25, 8, 0, tzinfo=pacific)
    london_morning = datetime(2026, 11, 25, 8, 0, tzinfo=ZoneInfo("Europe/London"))
    assert Delivery.objects.get(user=london).not_before == london_morning

    with time_machine.travel(datetime(2026, 11, 25, 7, 59, tzinfo=pacific), tick=False):
        deliver_all()
    assert twilio_server.to("+14155550199") == [] and len(twilio_server.to("+447911123456")) == 1

    with time_machine.travel(datetime(2026, 11, 25, 8, 0, tzinfo=pacific), tick=False):
        deliver_all()
    assert len(twilio_server.to("+14155550199")) == 1


def test_logistics_go_out_during_quiet_hours(event, organiser, twilio_server):
    night = event.starts_at - timedelta(hours=10)
    rsvp(event, person(phone="+14155550198"))

    with time_machine.travel(night.replace(hour=6, minute=0), tick=False):
        _blast(event, organiser, channels="sms", kind="logistics", body="Doors at 18:00")
        deliver_all()

    assert len(twilio_server.to("+14155550198")) == 1


def test_a_stale_claim_is_sent_again_and_flagged_as_a_possible_duplicate(event, crowd, organiser, smtp_inbox):
    broadcast = _blast(event, organiser, channels="email")
    lost = outbox.deliveries_claim(channel="email", limit=1)  # a worker claimed it, then died

    assert outbox.deliveries_sweep(stale_after=60) == 0  # not stale yet
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert outbox.deliveries_sweep(stale_after=60) == 1
        deliver_all()

    again = Delivery.objects.get(pk=lost[0].pk)
    assert (again.status, again.possible_duplicate) == ("sent", True)
    assert Delivery.objects.filter(broadcast=broadcast, possible_duplicate=True).count() == 1
    assert len(smtp_inbox.messages) == 3


def test_a_finished_blast_is_marked_sent(event, crowd, organiser):
    broadcast = _blast(event, organiser)
    deliver_all()

    assert services.broadcasts_finish() == 1

    broadcast.refresh_from_db()
    assert broadcast.status == "sent" and broadcast.finished_at is not None
