"""Twilio callbacks (signed), SMS keywords, one-click unsubscribe, and email provider events."""

import base64
import json

import pytest

from meetup.accounts.models import ConsentRecord
from meetup.broadcasts import outbox, render, services
from meetup.broadcasts.models import Delivery
from tests.broadcasts.conftest import person, rsvp
from tests.fakes.twilio import signature
from tests.outbox import deliver_all

BASE = "http://127.0.0.1:8000"
pytestmark = pytest.mark.django_db


def _post_signed(client, path, params, *, forged=False):
    sig = signature(BASE + path, params)
    if forged:
        sig = sig[:-2] + ("AA" if not sig.endswith("AA") else "BB")
    return client.post(path, params, headers={"X-Twilio-Signature": sig})


@pytest.fixture
def sent_text(event, organiser, twilio_server):
    bob = person()
    rsvp(event, bob)
    services.broadcast_create(event=event, created_by=organiser, channels="sms", body="Hello")
    deliver_all()
    return Delivery.objects.get(user=bob)


def test_a_status_callback_marks_the_text_delivered(client, sent_text):
    response = _post_signed(client, "/hooks/twilio/status",
                            {"MessageSid": sent_text.provider_id, "MessageStatus": "delivered"})

    assert response.status_code == 204
    assert Delivery.objects.get(pk=sent_text.pk).status == "delivered"


def test_an_undelivered_callback_records_the_error_code(client, sent_text):
    _post_signed(client, "/hooks/twilio/status",
                 {"MessageSid": sent_text.provider_id, "MessageStatus": "undelivered", "ErrorCode": "30003"})

    delivery = Delivery.objects.get(pk=sent_text.pk)
    assert (delivery.status, delivery.error) == ("failed", "Twilio error 30003")


def test_a_late_sent_callback_does_not_undo_delivered(client, sent_text):
    for status in ("delivered", "sent"):
        _post_signed(client, "/hooks/twilio/status", {"MessageSid": sent_text.provider_id, "MessageStatus": status})

    assert Delivery.objects.get(pk=sent_text.pk).status == "delivered"


@pytest.mark.parametrize("path", ["/hooks/twilio/status", "/hooks/twilio/inbound"])
@pytest.mark.parametrize("how", ["forged", "missing"])
def test_a_forged_or_unsigned_callback_is_refused_and_changes_nothing(client, sent_text, path, how):
    params = {"MessageSid": sent_text.provider_id, "MessageStatus": "delivered",
              "From": str(sent_text.user.phone), "Body": "STOP"}

    if how == "forged":
        response = _post_signed(client, path, params, forged=True)
    else:
        response = client.post(path, params)

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert Delivery.objects.get(pk=sent_text.pk).status == "sent"
    sent_text.user.refresh_from_db()
    assert sent_text.user.sms_opt_in is True


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop please ", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
                                  "REVOKE", "OPTOUT", "opt-out"])
def test_every_opt_out_keyword_opts_out_and_confirms_once(client, twilio_server, word):
    bob = person()

    response = _post_signed(client, "/hooks/twilio/inbound", {"From": str(bob.phone), "Body": word})

    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    assert "You're unsubscribed" in response.content.decode()
    bob.refresh_from_db()
    assert bob.sms_opt_in is False
    record = ConsentRecord.objects.get(user=bob, channel="sms")
    assert (record.granted, record.source, record.wording) == (False, "sms-keyword", word.strip())


def test_start_after_stop_opts_back_in(client, twilio_server):
    bob = person()
    _post_signed(client, "/hooks/twilio/inbound", {"From": str(bob.phone), "Body": "STOP"})

    response = _post_signed(client, "/hooks/twilio/inbound", {"From": str(bob.phone), "Body": "START"})

    assert "subscribed to Open AI Meetups texts again" in response.content.decode()
    bob.refresh_from_db()
    assert bob.sms_opt_in is True
    assert list(ConsentRecord.objects.filter(user=bob).order_by("id").values_list("granted", flat=True)) == [
        False, True]


def test_help_replies_with_who_we_are_and_changes_nothing(client, twilio_server):
    bob = person()

    response = _post_signed(client, "/hooks/twilio/inbound", {"From": str(bob.phone), "Body": "HELP"})

    body = response.content.decode()
    assert "<Message>Open AI Meetups: event updates by text." in body and "Reply STOP to opt out." in body
    assert not ConsentRecord.objects.filter(user=bob).exists()


def test_any_other_text_gets_the_help_reply_and_changes_nothing(client, twilio_server):
    bob = person()

    response = _post_signed(client, "/hooks/twilio/inbound", {"From": str(bob.phone), "Body": "see you there!"})

    assert "<Message>Open AI Meetups: event updates by text." in response.content.decode()
    assert not ConsentRecord.objects.filter(user=bob).exists()


def test_a_stop_mid_blast_through_the_webhook_skips_the_rest(client, event, organiser, twilio_server):
    people = [person() for _ in range(3)]
    for someone in people:
        rsvp(event, someone)
    services.broadcast_create(event=event, created_by=organiser, channels="sms", body="Part one")
    outbox.deliveries_send(outbox.deliveries_claim(channel="sms", limit=1), channel="sms")
    remaining = Delivery.objects.filter(status="queued").select_related("user")[0].user

    _post_signed(client, "/hooks/twilio/inbound", {"From": str(remaining.phone), "Body": "STOP"})
    deliver_all()

    assert twilio_server.to(str(remaining.phone)) == []
    assert Delivery.objects.get(user=remaining).status == "skipped_opted_out"


def test_one_click_unsubscribe_needs_no_login_and_writes_the_ledger(event, organiser, smtp_inbox):
    from django.test import Client

    alice = person()
    rsvp(event, alice)
    services.broadcast_create(event=event, created_by=organiser, channels="email", subject="Hi", body="Hello")
    deliver_all()
    link = str(smtp_inbox.to(alice.email)[0]["List-Unsubscribe"]).strip()[1:-1]

    response = Client(enforce_csrf_checks=True).post(link.removeprefix(BASE), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.email_opt_in is False
    record = ConsentRecord.objects.get(user=alice, channel="email")
    assert (record.granted, record.source, record.wording) == (False, "unsubscribe-link", "List-Unsubscribe=One-Click")


def test_the_unsubscribe_page_asks_first_and_a_bad_link_is_refused(client, event):
    alice = person()
    path = f"/u/{render.unsubscribe_token(alice)}/"

    page = client.get(path)
    bad = client.get(f"/u/{alice.pk}:forged/")

    assert page.status_code == 200 and "Stop event announcements" in page.content.decode()
    assert bad.status_code == 404
    alice.refresh_from_db()
    assert alice.email_opt_in is True


@pytest.fixture
def postmark(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"hook:secret").decode()}


def _emailed(event, organiser, smtp_inbox):
    alice = person()
    rsvp(event, alice)
    services.broadcast_create(event=event, created_by=organiser, channels="email", subject="Hi", body="Hello")
    deliver_all()
    delivery = Delivery.objects.get(user=alice)
    Delivery.objects.filter(pk=delivery.pk).update(provider_id="pm-0001")  # as an ESP backend would record it
    return alice, delivery


def test_an_email_provider_delivery_event_updates_the_delivery(client, event, organiser, smtp_inbox, postmark):
    alice, delivery = _emailed(event, organiser, smtp_inbox)
    payload = {"RecordType": "Delivery", "MessageID": "pm-0001", "Recipient": alice.email,
               "DeliveredAt": "2026-11-23T20:00:00Z", "Details": "", "Tag": "", "ServerID": 1, "Metadata": {}}

    response = client.post("/anymail/postmark/tracking/", json.dumps(payload), content_type="application/json",
                           **postmark)

    assert response.status_code == 200
    assert Delivery.objects.get(pk=delivery.pk).status == "delivered"


def test_a_hard_bounce_fails_the_delivery_and_marks_the_address(client, event, organiser, smtp_inbox, postmark):
    alice, delivery = _emailed(event, organiser, smtp_inbox)
    payload = {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "MessageID": "pm-0001",
               "Email": alice.email, "Description": "The server was unable to deliver your message",
               "Details": "smtp;550 5.1.1 user unknown", "BouncedAt": "2026-11-23T20:00:00Z", "ID": 42,
               "Inactive": True, "CanActivate": True, "Subject": "Hi", "Tag": "", "ServerID": 1, "Metadata": {}}

    client.post("/anymail/postmark/tracking/", json.dumps(payload), content_type="application/json", **postmark)

    delivery.refresh_from_db()
    assert delivery.status == "failed" and "Postmark" in delivery.error
    alice.refresh_from_db()
    assert alice.email_undeliverable_at is not None
    services.broadcast_create(event=event, created_by=organiser, channels="email", subject="Again", body="Hello")
    assert not Delivery.objects.filter(user=alice, broadcast__subject="Again").exists()  # not planned any more


def test_a_tracking_webhook_without_the_secret_is_refused(client, postmark):
    response = client.post("/anymail/postmark/tracking/", "{}", content_type="application/json")

    assert response.status_code in (400, 401, 403)


def test_changing_a_bounced_address_makes_it_deliverable_again(db):
    from allauth.account.signals import email_changed
    from django.utils import timezone

    alice = person(email_undeliverable_at=timezone.now())

    email_changed.send(sender=type(alice), request=None, user=alice, from_email_address=None,
                       to_email_address=None)

    alice.refresh_from_db()
    assert alice.email_undeliverable_at is None
