from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meetup.broadcasts.models import Broadcast, Delivery
from tests.broadcasts.conftest import person, rsvp
from tests.factories import EventFactory
from tests.outbox import deliver_all


@pytest.fixture
def organised(event, organiser):
    event.organisers.add(organiser)
    return event


BLAST = {"channels": ["sms", "email"], "email_fallback": True, "audience": "going", "subject": "Big news",
         "body": "Hi {first_name}, we crossed 1,500 registrations!"}


def test_the_api_sends_a_blast_and_reports_its_counts(api, organised, crowd, organiser):
    response = api(organiser).post(f"/api/events/{organised.slug}/broadcasts", BLAST)

    assert response.status_code == 202
    body = response.json()
    assert (body["channels"], body["status"], body["total"], body["queued"]) == ("sms_or_email", "sending", 4, 4)

    deliver_all()
    counts = api(organiser).get(f"/api/broadcasts/{body['id']}").json()
    assert {k: counts[k] for k in ("total", "queued", "sent", "delivered", "failed", "skipped_opted_out")} == {
        "total": 4, "queued": 0, "sent": 4, "delivered": 0, "failed": 0, "skipped_opted_out": 0}


@pytest.mark.parametrize(("change", "field"), [
    ({"channels": []}, "channels"),
    ({"channels": ["fax"]}, "channels.0"),
    ({"audience": "everyone"}, "audience"),
    ({"body": 42}, "body"),
    ({"colour": "red"}, "colour"),
    ({"body": "Hi {nickname}"}, "body"),
    ({"channels": ["email"], "subject": ""}, "subject"),
    ({"scheduled_for": "2026-11-23T10:00:00"}, "scheduled_for"),  # no offset
])
def test_bad_blasts_get_a_400_naming_the_field_and_nothing_is_saved(api, organised, organiser, change, field):
    response = api(organiser).post(f"/api/events/{organised.slug}/broadcasts", {**BLAST, **change})

    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid" and field in response.json()["fields"]
    assert not Broadcast.objects.exists()


def test_malformed_json_is_a_400(api, organised, organiser):
    response = api(organiser).post(f"/api/events/{organised.slug}/broadcasts", raw="{not json")

    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("attendee", 403), ("other_organiser", 403)])
def test_only_the_events_organisers_may_send(api, organised, attendee, who, status, request):
    caller = None
    if who == "attendee":
        caller = attendee
    elif who == "other_organiser":
        caller = request.getfixturevalue("organiser").__class__.objects.create(username="otto")
        from meetup.accounts.services import organiser_grant

        organiser_grant(user=caller)

    response = api(caller).post(f"/api/events/{organised.slug}/broadcasts", BLAST)

    assert response.status_code == status
    assert not Broadcast.objects.exists()


def test_another_events_broadcast_is_not_found(api, organised, organiser, crowd):
    other = EventFactory()
    broadcast = Broadcast.objects.create(event=other, body="Secret", subject="x")

    assert api(organiser).get(f"/api/broadcasts/{broadcast.pk}").status_code == 404
    assert api(organiser).post(f"/api/broadcasts/{broadcast.pk}/cancel").status_code == 404


def test_cancel_through_the_api_then_again_is_a_conflict(api, organised, organiser, crowd):
    sent = api(organiser).post(f"/api/events/{organised.slug}/broadcasts", BLAST).json()

    first = api(organiser).post(f"/api/broadcasts/{sent['id']}/cancel")
    second = api(organiser).post(f"/api/broadcasts/{sent['id']}/cancel")

    assert (first.status_code, first.json()["status"], first.json()["cancelled"]) == (200, "cancelled", 4)
    assert second.status_code == 409 and second.json()["error"] == "not_cancellable"


def test_the_compose_page_previews_reach_segments_and_time(client, organised, organiser, crowd, settings):
    settings.SMS_RATE_PER_SECOND = 1
    client.force_login(organiser)

    page = client.post(f"/events/{organised.slug}/broadcasts/preview/", {
        "kind": "announcement", "channels": "both", "audience": "going", "subject": "Hi",
        "body": "Hi {first_name} ✨ " + "x" * 60})

    html = page.content.decode()
    assert page.status_code == 200
    assert "3 who agreed to texts" in html and "<dd>3</dd>" in html  # both1, both2, sms_only; 3 emails
    assert "UCS-2" in html and "<strong>2 segments</strong>" in html
    assert "about 0.1 min at 1 segment/s" in html
    assert "Reply STOP to opt out." in html


def test_the_preview_warns_when_an_announcement_lands_in_quiet_hours(client, organised, organiser, crowd):
    client.force_login(organiser)
    night = datetime(2026, 11, 23, 22, 30, tzinfo=ZoneInfo("America/Los_Angeles"))

    with time_machine.travel(night):
        html = client.post(f"/events/{organised.slug}/broadcasts/preview/", {
            "kind": "announcement", "channels": "sms", "audience": "going", "body": "Hello"}).content.decode()

    assert "lands in quiet hours" in html and "Tue 24 Nov 08:00" in html


def test_composing_on_the_page_sends_and_shows_progress(client, organised, organiser, crowd):
    client.force_login(organiser)

    response = client.post(f"/events/{organised.slug}/broadcasts/", {
        "kind": "announcement", "channels": "email", "audience": "going", "subject": "Hi", "body": "Hello"},
        follow=True)

    broadcast = Broadcast.objects.get()
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/broadcasts/{broadcast.pk}/"
    assert "Your message is on its way." in html and "0</strong> of 3 done" in html
    deliver_all()
    progress = client.get(f"/broadcasts/{broadcast.pk}/progress/").content.decode()
    assert "3</strong> of 3 done (100%)" in progress


def test_a_page_form_error_keeps_what_was_typed(client, organised, organiser):
    client.force_login(organiser)

    response = client.post(f"/events/{organised.slug}/broadcasts/", {
        "kind": "announcement", "channels": "email", "audience": "going", "subject": "", "body": "Keep me"})

    assert response.status_code == 200
    assert "Emails need a subject." in response.content.decode() and "Keep me" in response.content.decode()


@pytest.mark.parametrize("path", ["/events/{slug}/broadcasts/", "/broadcasts/{id}/", "/broadcasts/{id}/deliveries.csv"])
def test_attendees_cannot_open_broadcast_pages(client, organised, organiser, attendee, path):
    broadcast = Broadcast.objects.create(event=organised, body="x", subject="x")
    client.force_login(attendee)

    response = client.get(path.format(slug=organised.slug, id=broadcast.pk))

    assert response.status_code in (403, 404)


def test_the_delivery_report_is_spreadsheet_safe(client, organised, organiser):
    mallory = person(display_name="=HYPERLINK(evil)", username="=cmd")
    rsvp(organised, mallory)
    broadcast = Broadcast.objects.create(event=organised, body="x", subject="x")
    Delivery.objects.create(broadcast=broadcast, user=mallory, channel="email", not_before=broadcast.created_at,
                            status="failed", error="-bad")
    client.force_login(organiser)

    csv = b"".join(client.get(f"/broadcasts/{broadcast.pk}/deliveries.csv").streaming_content).decode()

    assert "'=cmd" in csv and "'-bad" in csv
