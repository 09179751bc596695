"""Invariant 5: a check-in code works once per attendee; a repeated scan says so, never errors."""

import pytest

from meetup.events import services
from meetup.events.models import RSVP
from tests.factories import EventFactory, UserFactory


@pytest.fixture
def event(organiser):
    event = EventFactory(capacity=1)
    event.organisers.add(organiser)
    return event


@pytest.fixture
def ticket(event, attendee):
    return services.rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)[0]


def scan(api, organiser, event, code):
    return api(organiser).post(f"/api/events/{event.slug}/checkins", {"code": code})


def test_the_first_scan_checks_in(api, organiser, event, ticket):
    response = scan(api, organiser, event, ticket.ticket_code)

    assert response.status_code == 201
    assert response.json()["status"] == "checked_in"
    assert response.json()["user"]["username"] == "alice"
    assert RSVP.objects.get(pk=ticket.pk).checked_in_at is not None


def test_a_repeated_scan_says_already_checked_in_with_the_first_time(api, organiser, event, ticket):
    first = scan(api, organiser, event, ticket.ticket_code).json()

    again = scan(api, organiser, event, ticket.ticket_code)

    assert again.status_code == 200
    assert again.json()["status"] == "already_checked_in"
    assert again.json()["checked_in_at"] == first["checked_in_at"]


@pytest.mark.parametrize("tamper", [
    lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # one character changed
    lambda code: code.upper() if code != code.upper() else code.lower(),
    lambda code: code + "x",
    lambda code: "0" * len(code),
])
def test_forged_or_altered_codes_are_rejected(api, organiser, event, ticket, tamper):
    response = scan(api, organiser, event, tamper(ticket.ticket_code))

    assert (response.status_code, response.json()["error"]) == (404, "not_found")
    assert RSVP.objects.get(pk=ticket.pk).checked_in_at is None


def test_a_code_for_another_event_is_rejected(api, organiser, event, ticket):
    other = EventFactory()
    other.organisers.add(organiser)

    assert scan(api, organiser, other, ticket.ticket_code).status_code == 404


def test_a_waitlisted_persons_code_does_not_admit_them(api, organiser, event, ticket):
    waiting = services.rsvp_create(event=event, user=UserFactory(), accept_code_of_conduct=True)[0]
    assert waiting.status == "waitlisted"

    response = scan(api, organiser, event, waiting.ticket_code)

    assert (response.status_code, response.json()["error"]) == (409, "not_going")
    assert "waitlisted" in response.json()["detail"]
    assert RSVP.objects.get(pk=waiting.pk).checked_in_at is None


def test_a_cancelled_ticket_does_not_admit(api, organiser, event, ticket, attendee):
    services.rsvp_cancel(event=event, user=attendee)

    assert scan(api, organiser, event, ticket.ticket_code).status_code == 409


def test_attendees_cannot_check_people_in(api, event, ticket, attendee):
    response = api(attendee).post(f"/api/events/{event.slug}/checkins", {"code": ticket.ticket_code})

    assert response.status_code == 403
    assert RSVP.objects.get(pk=ticket.pk).checked_in_at is None


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": 123}, {"code": "x" * 129}, {"code": "a\x00b"}])
def test_bad_check_in_bodies_get_400(api, organiser, event, body):
    assert api(organiser).post(f"/api/events/{event.slug}/checkins", body).status_code == 400


def test_the_door_page_checks_in_a_typed_code_and_then_says_already(client, organiser, event, ticket):
    client.force_login(organiser)
    url = f"/events/{event.slug}/door/checkin/"

    first = client.post(url, {"code": ticket.ticket_code}, headers={"HX-Request": "true"}).content.decode()
    again = client.post(url, {"code": ticket.ticket_code}, headers={"HX-Request": "true"}).content.decode()

    assert "Welcome, Alice!" in first
    assert "Already checked in" in again


def test_the_door_page_finds_people_by_name_and_counts(client, organiser, event, ticket):
    client.force_login(organiser)

    found = client.get(f"/events/{event.slug}/door/search/", {"q": "ali"}).content.decode()
    client.post(f"/events/{event.slug}/door/checkin/", {"rsvp": ticket.pk})
    counts = client.get(f"/events/{event.slug}/door/counts/").content.decode()

    assert "Alice" in found
    assert "<strong>1</strong> checked in of 1 going" in counts


def test_the_door_page_is_for_organisers_only(client, attendee, event):
    client.force_login(attendee)

    assert client.get(f"/events/{event.slug}/door/").status_code == 403
