"""Who may open what: every organiser page and API endpoint against every role. The rules live in
meetup/accounts/roles.py; this matrix is what they promise."""

import pytest

from meetup.events.models import RSVP

ROLES = ["stranger", "attendee", "door", "moderator", "other_organiser", "organiser", "staff"]
# Pages answer a stranger with the sign-in page (302); the API with 401.
DENIED_PAGE = {"stranger": 302, "attendee": 403, "door": 403, "moderator": 403, "other_organiser": 403}
ORGANISERS_ONLY = {**DENIED_PAGE, "organiser": 200, "staff": 200}
DOOR_TOO = {**ORGANISERS_ONLY, "door": 200}

PAGES = [
    ("/events/{slug}/dashboard/", ORGANISERS_ONLY),
    ("/events/{slug}/dashboard/counts/", ORGANISERS_ONLY),
    ("/events/{slug}/edit/", ORGANISERS_ONLY),
    ("/events/{slug}/capacity/", ORGANISERS_ONLY),
    ("/events/{slug}/rsvps/", ORGANISERS_ONLY),
    ("/events/{slug}/rsvps.csv", ORGANISERS_ONLY),
    ("/events/{slug}/checkins.csv", ORGANISERS_ONLY),
    ("/events/{slug}/projects.csv", ORGANISERS_ONLY),
    ("/events/{slug}/broadcasts/", ORGANISERS_ONLY),
    ("/events/{slug}/team/", ORGANISERS_ONLY),
    ("/events/{slug}/audit/", ORGANISERS_ONLY),
    ("/events/{slug}/door/", DOOR_TOO),
    ("/events/{slug}/door/counts/", DOOR_TOO),
    ("/events/{slug}/door/search/?q=al", DOOR_TOO),
    # Another event's broadcast is not found rather than forbidden.
    ("/broadcasts/{broadcast}/", {**{r: 404 for r in DENIED_PAGE}, "stranger": 302, "organiser": 200, "staff": 200}),
]


def _as(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[p for p, _ in PAGES])
def test_organiser_pages(client, night, people, broadcast, role, path, expected):
    response = _as(client, people, role).get(path.format(slug=night.slug, broadcast=broadcast.pk))

    assert response.status_code == expected[role]


API_DENIED = {"stranger": 401, "attendee": 403, "door": 403, "moderator": 403, "other_organiser": 403,
              "organiser": None, "staff": None}
API = [
    ("get", "/api/events/{slug}/rsvps", None, {**API_DENIED, "organiser": 200, "staff": 200}),
    ("get", "/api/events/{slug}/rsvps.csv", None, {**API_DENIED, "organiser": 200, "staff": 200}),
    ("patch", "/api/events/{slug}", {"capacity": 12}, {**API_DENIED, "organiser": 200, "staff": 200}),
    ("post", "/api/events/{slug}/checkins", "ticket", {**API_DENIED, "door": 201, "organiser": 201, "staff": 201}),
    ("post", "/api/events/{slug}/broadcasts", {"channels": ["email"], "subject": "Hi", "body": "Hello"},
     {**API_DENIED, "organiser": 202, "staff": 202}),
    ("get", "/api/events/{slug}/broadcasts", None, {**API_DENIED, "organiser": 200, "staff": 200}),
    ("get", "/api/broadcasts/{broadcast}", None, {**{r: 404 for r in API_DENIED}, "stranger": 401,
                                                  "organiser": 200, "staff": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=[f"{m} {p}" for m, p, _, _ in API])
def test_organiser_api(api, night, people, broadcast, role, method, path, body, expected):
    if body == "ticket":
        body = {"code": RSVP.objects.get(event=night).ticket_code}
    caller = api(people[role])
    url = path.format(slug=night.slug, broadcast=broadcast.pk)

    response = getattr(caller, method)(url, body) if body is not None else getattr(caller, method)(url)

    assert response.status_code == expected[role], response.content[:200]
    if expected[role] >= 400:
        assert "error" in response.json()


def test_ids_of_another_events_objects_are_not_found(client, night, other_night, people):
    from meetup.broadcasts.models import Broadcast
    from tests.factories import RSVPFactory

    foreign_rsvp = RSVPFactory(event=other_night, status="waitlisted")
    foreign_broadcast = Broadcast.objects.create(event=other_night, body="x", subject="x", status="sending")
    client.force_login(people["organiser"])

    assert client.post(f"/events/{night.slug}/rsvps/{foreign_rsvp.pk}/promote/").status_code == 404
    assert client.get(f"/broadcasts/{foreign_broadcast.pk}/progress/").status_code == 404
    assert client.post(f"/broadcasts/{foreign_broadcast.pk}/cancel/").status_code == 404
    assert client.post(f"/events/{night.slug}/team/door/{other_night.organisers.get().pk}/remove/").status_code == 404
    foreign_rsvp.refresh_from_db()
    assert foreign_rsvp.status == "waitlisted"


def test_door_staff_do_not_see_attendees_contact_details(client, night, people):
    client.force_login(people["door"])

    html = client.get(f"/events/{night.slug}/door/search/?q=alice").content.decode()

    assert "Alice" in html and "alice@example.org" not in html
