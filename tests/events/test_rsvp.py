from datetime import timedelta

import pytest
from django.utils import timezone

from meetup.events import services
from meetup.events.models import RSVP, Event
from meetup.events.notifications import owed_kind
from tests.factories import EventFactory, going

RSVP_BODY = {"accept_code_of_conduct": True}


@pytest.fixture
def event(db):
    return EventFactory(capacity=2, code_of_conduct_url="https://example.org/coc")


def test_it_answers_going_with_a_ticket_while_seats_last(api, attendee, event):
    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", RSVP_BODY)

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["waitlist_position"]) == ("going", None)
    assert len(body["ticket_code"]) >= 20
    assert owed_kind(RSVP.objects.get()) == "going"  # the ticket email is on its way


def test_it_waitlists_with_a_position_once_full(api, attendee, event):
    going(event, 2)

    body = api(attendee).post(f"/api/events/{event.slug}/rsvp", RSVP_BODY).json()

    assert (body["status"], body["waitlist_position"], body["ticket_code"]) == ("waitlisted", 1, None)


def test_repeating_an_rsvp_returns_the_same_one(api, attendee, event):
    caller = api(attendee)
    first = caller.post(f"/api/events/{event.slug}/rsvp", RSVP_BODY)

    again = caller.post(f"/api/events/{event.slug}/rsvp", RSVP_BODY)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert RSVP.objects.count() == 1
    assert caller.get(f"/api/events/{event.slug}/rsvp").json() == first.json()


def test_cancelling_keeps_the_rsvp_as_history_and_rsvping_again_queues_anew(api, attendee, event):
    caller = api(attendee)
    caller.post(f"/api/events/{event.slug}/rsvp", RSVP_BODY)

    cancelled = caller.delete(f"/api/events/{event.slug}/rsvp")
    assert cancelled.json()["status"] == "cancelled"
    assert RSVP.objects.get().cancelled_at is not None

    again = caller.post(f"/api/events/{event.slug}/rsvp", RSVP_BODY)
    assert (again.status_code, again.json()["status"]) == (201, "going")
    assert again.json()["ticket_code"] != cancelled.json()["ticket_code"]


@pytest.mark.parametrize(
    "change, code, status",
    [
        ({"status": Event.Status.CANCELLED}, "event_cancelled", 409),
        ({"rsvp_closes_at": timezone.now() - timedelta(minutes=1),
          "rsvp_opens_at": timezone.now() - timedelta(days=1)}, "rsvp_closed", 409),
        ({"rsvp_opens_at": timezone.now() + timedelta(days=1)}, "rsvp_not_open", 409),
        ({"starts_at": timezone.now() - timedelta(hours=3), "ends_at": timezone.now() - timedelta(hours=1)},
         "rsvp_closed", 409),
    ],
)
def test_it_refuses_rsvps_when_the_event_is_not_open(api, attendee, event, change, code, status):
    Event.objects.filter(pk=event.pk).update(**change)

    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", RSVP_BODY)

    assert response.status_code == status
    assert response.json()["error"] == code
    assert not RSVP.objects.exists()


def test_a_draft_event_is_not_found_for_attendees(api, attendee, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)

    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", RSVP_BODY)

    assert response.status_code == 404
    assert not RSVP.objects.exists()


def test_an_organiser_cannot_rsvp_to_their_own_draft(api, organiser, event):
    event.organisers.add(organiser)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)

    response = api(organiser).post(f"/api/events/{event.slug}/rsvp", RSVP_BODY)

    assert (response.status_code, response.json()["error"]) == (409, "event_not_published")


@pytest.mark.parametrize("body", [{}, {"accept_code_of_conduct": False}])
def test_it_requires_accepting_the_code_of_conduct(api, attendee, event, body):
    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", body)

    assert (response.status_code, response.json()["error"]) == (400, "code_of_conduct_required")
    assert not RSVP.objects.exists()


@pytest.mark.parametrize("raw", ["", '{"accept_code_of_conduct": "yes"}', '{"accept_code_of_conduct": true, "x": 1}',
                                 "{broken", "[]"])
def test_it_rejects_malformed_rsvp_bodies(api, attendee, event, raw):
    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", raw=raw)

    assert response.status_code == 400
    assert set(response.json()) >= {"error", "detail"}
    assert not RSVP.objects.exists()


def test_it_needs_a_signed_in_caller(api, event):
    assert api(None).post(f"/api/events/{event.slug}/rsvp", RSVP_BODY).status_code == 401


def test_an_unknown_event_is_404(api, attendee, db):
    response = api(attendee).post("/api/events/no-such-event/rsvp", RSVP_BODY)

    assert (response.status_code, response.json()["error"]) == (404, "not_found")


def test_cancelling_without_an_rsvp_is_404(api, attendee, event):
    assert api(attendee).delete(f"/api/events/{event.slug}/rsvp").status_code == 404


def test_the_event_page_button_rsvps_and_shows_the_state(client, attendee, event):
    client.force_login(attendee)

    page = client.post(f"/events/{event.slug}/rsvp/", {"accept_code_of_conduct": "on"}, follow=True)

    assert "going! Your ticket is below" in page.content.decode()
    assert RSVP.objects.get(user=attendee).status == "going"


def test_the_event_page_button_without_the_code_of_conduct_explains_why(client, attendee, event):
    client.force_login(attendee)

    page = client.post(f"/events/{event.slug}/rsvp/", {}, follow=True)

    assert "Please accept the code of conduct" in page.content.decode()
    assert not RSVP.objects.exists()


def test_rsvp_create_in_a_transaction_takes_the_locked_path(attendee, event):
    from django.db import transaction

    with transaction.atomic():
        rsvp, created = services.rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)

    assert (rsvp.status, created) == ("going", True)
    assert sum(event.shards.values_list("taken", flat=True)) == 1
