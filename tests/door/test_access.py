"""The door API as an attacker sees it: other events' door staff, attendees, strangers and anonymous
callers get 403/404; malformed batches get 400, never 500."""

import json

import pytest

from meetup.events import signing
from meetup.events.models import RSVP, Entrance
from tests.factories import EventFactory, UserFactory


@pytest.fixture
def other_door(db):
    other = EventFactory()
    user = UserFactory(username="odo", email="odo@example.org")
    other.door_staff.add(user)
    return user


def endpoints(event):
    code = "M1.1.1." + "A" * 86
    return [
        ("get", f"/api/events/{event.slug}/door-data", None),
        ("post", f"/api/events/{event.slug}/checkins/sync",
         {"scans": [{"code": code, "scanned_at": "2026-01-01T00:00:00Z", "scan_id": "x"}]}),
        ("get", f"/api/events/{event.slug}/entrances", None),
        ("post", f"/api/events/{event.slug}/entrances", {"name": "Back door"}),
        ("get", f"/api/events/{event.slug}/badges.pdf", None),
    ]


@pytest.mark.parametrize("who", ["anonymous", "attendee", "stranger", "other_door"])
def test_outsiders_are_refused_everywhere(api, event, tickets, attendee, stranger, other_door, who):
    user = {"anonymous": None, "attendee": attendee, "stranger": stranger, "other_door": other_door}[who]
    if who == "attendee":
        RSVP.objects.filter(pk=tickets[0].pk).update(user=attendee)
    for method, path, body in endpoints(event):
        caller = api(user)
        response = caller.get(path) if method == "get" else caller.post(path, body)
        assert response.status_code in (401, 403, 404), (path, response.status_code)
        if response.status_code != 401:
            assert response.json()["error"] in ("forbidden", "not_found")
    assert not Entrance.objects.exists()


def test_door_staff_cannot_add_entrances_or_print_everyones_badges(api, event, tickets, door_staff):
    assert api(door_staff).post(f"/api/events/{event.slug}/entrances", {"name": "Back"}).status_code == 403
    assert api(door_staff).get(f"/api/events/{event.slug}/badges.pdf").status_code == 403
    one = api(door_staff).get(f"/api/events/{event.slug}/badges.pdf?rsvp={tickets[0].pk}")
    assert one.status_code == 200 and one["Content-Type"] == "application/pdf"


def test_door_staff_of_a_draft_event_elsewhere_see_nothing(api, other_door, organiser):
    draft = EventFactory(status="draft")
    draft.organisers.add(organiser)

    assert api(other_door).get(f"/api/events/{draft.slug}/door-data").status_code == 404


def test_organisers_add_entrances_once_per_name(api, organiser, event):
    first = api(organiser).post(f"/api/events/{event.slug}/entrances", {"name": "  North   gate "})
    again = api(organiser).post(f"/api/events/{event.slug}/entrances", {"name": "North gate"})

    assert first.status_code == 201 and first.json()["name"] == "North gate"
    assert again.status_code == 409


GOOD = {"code": "M1.1.1." + "A" * 86, "scanned_at": "2026-01-01T00:00:00Z", "scan_id": "s1"}


@pytest.mark.parametrize("body", [
    {},
    {"scans": "nope"},
    {"scans": [dict(GOOD, code="M1.1.1.\x00" + "A" * 85)]},
    {"scans": [dict(GOOD, scan_id="a\x00b")]},
    {"scans": [dict(GOOD, entrance=10**30)]},
    {"scans": [dict(GOOD, entrance=-1)]},
    {"scans": [dict(GOOD, entrance="1")]},
    {"scans": [dict(GOOD, scanned_at="yesterday")]},
    {"scans": [dict(GOOD, scanned_at="2026-01-01T00:00:00")]},  # no offset
    {"scans": [dict(GOOD, scanned_at="99999-01-01T00:00:00Z")]},
    {"scans": [dict(GOOD, scanned_at="0001-01-01T00:00:00+05:00")]},
    {"scans": [dict(GOOD, scanned_at="9999-12-31T23:59:59-05:00")]},
    {"scans": [dict(GOOD, direction="sideways")]},
    {"scans": [dict(GOOD, extra=1)]},
    {"scans": [GOOD] * 10_000},
    {"device": "x" * 65, "scans": [GOOD]},
    {"scans": [dict(GOOD, code=12345)]},
], ids=lambda b: str(b)[:40])
def test_malformed_batches_get_400(api, organiser, event, body):
    response = api(organiser).post(f"/api/events/{event.slug}/checkins/sync", body)

    assert response.status_code == 400, response.content[:200]
    assert response.json()["error"] == "invalid"


NUL_ID = json.dumps({"scans": [GOOD]}).encode().replace(b"s1", b"\\u0000")


@pytest.mark.parametrize("raw", [b"{", b"[]", b"null", NUL_ID])
def test_broken_json_gets_400(api, organiser, event, raw):
    assert api(organiser).post(f"/api/events/{event.slug}/checkins/sync", raw=raw).status_code == 400


def test_a_code_signed_for_another_event_syncs_as_invalid(api, organiser, event, tickets):
    other = EventFactory()
    stranger_rsvp = RSVP.objects.create(event=other, user=UserFactory(), status="going",
                                        created_at=tickets[0].created_at, ticket_code="z" * 22)
    body = {"scans": [{"code": signing.ticket_code(stranger_rsvp), "scanned_at": "2026-01-01T00:00:00Z",
                       "scan_id": "o1"}]}

    response = api(organiser).post(f"/api/events/{event.slug}/checkins/sync", body)

    assert response.json()["results"][0]["outcome"] == "invalid"
    assert RSVP.objects.get(pk=stranger_rsvp.pk).checked_in_at is None


@pytest.mark.parametrize("query", ["rsvp=abc", "rsvp=99999999999999999999999", "layout=letter", "rsvp=0"])
def test_bad_badge_queries_get_400(api, organiser, event, query):
    assert api(organiser).get(f"/api/events/{event.slug}/badges.pdf?{query}").status_code == 400
