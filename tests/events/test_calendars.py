"""Calendar feeds: a personal feed behind a secret, revocable token; an organiser's public feed;
SEQUENCE going up when the time or venue changes, and VTIMEZONE for the event's zone."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from meetup.events import services
from tests.factories import EventFactory, RSVPFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def entries(calendar):
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_personal_feed_lists_events_the_person_is_going_to(api, client, attendee):
    going = EventFactory(title="Going night")
    RSVPFactory(event=going, user=attendee)
    RSVPFactory(event=EventFactory(title="Cancelled RSVP"), user=attendee, status="cancelled")
    RSVPFactory(event=EventFactory(title="Only requested"), user=attendee, status="requested")
    EventFactory(title="Someone else's")

    url = api(attendee).get("/api/me/calendar").json()["url"]
    calendar = parse(client.get(urlsplit(url).path))

    assert set(entries(calendar)) == {"Going night"}
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    assert str(entries(calendar)["Going night"]["DTSTART"].params["TZID"]) == "Europe/Paris"


def feed_path(user):
    feed = services.calendar_feed_get_or_create(user=user)
    return f"/calendar/{feed.token}.ics"


def test_a_wrong_token_is_404(client, attendee):
    feed_path(attendee)

    assert client.get("/calendar/not-the-token.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 500 + ".ics").status_code == 404


def test_a_revoked_token_is_404_and_a_new_one_works(api, client, attendee):
    old = feed_path(attendee)

    assert api(attendee).delete("/api/me/calendar").status_code == 204
    new = feed_path(attendee)

    assert client.get(old).status_code == 404
    assert new != old and client.get(new).status_code == 200


def test_the_tickets_page_shows_makes_and_revokes_the_feed(client, attendee):
    client.force_login(attendee)

    client.post("/tickets/calendar/")
    page = client.get("/tickets/").content.decode()
    path = feed_path(attendee)
    client.post("/tickets/calendar/revoke/")

    assert path in page
    assert client.get(path).status_code == 404


def test_sequence_goes_up_after_a_venue_move_and_a_time_change(client, organiser, attendee):
    event = EventFactory(title="Moving night", venue=VenueFactory())
    event.organisers.add(organiser)
    RSVPFactory(event=event, user=attendee)
    path = feed_path(attendee)
    before = int(entries(parse(client.get(path)))["Moving night"]["SEQUENCE"])

    services.venue_move(event=event, venue=VenueFactory(capacity_standing=500), created_by=organiser)
    after_move = int(entries(parse(client.get(path)))["Moving night"]["SEQUENCE"])
    event.refresh_from_db()
    services.event_update(event=event, starts_at=event.starts_at + timedelta(hours=1),
                          ends_at=event.ends_at + timedelta(hours=1), actor=organiser)
    after_time = int(entries(parse(client.get(path)))["Moving night"]["SEQUENCE"])
    services.event_update(event=event, title="Moving night", actor=organiser)  # no schedule change

    assert before < after_move < after_time
    assert int(entries(parse(client.get(path)))["Moving night"]["SEQUENCE"]) == after_time


def test_the_single_event_file_carries_sequence_and_vtimezone(client):
    event = EventFactory(timezone="America/New_York")

    calendar = parse(client.get(f"/events/{event.slug}/calendar.ics"))

    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/New_York"
    assert "SEQUENCE" in calendar.walk("VEVENT")[0]


def test_an_organisers_public_feed_lists_published_events_only(client, organiser):
    published = EventFactory(title="Public night")
    draft = EventFactory(title="Secret draft", status="draft")
    published.organisers.add(organiser)
    draft.organisers.add(organiser)
    organiser.hub_username = "olivia-hf"
    organiser.save()

    by_name = parse(client.get(f"/organisers/{organiser.username}/calendar.ics"))
    by_handle = parse(client.get("/organisers/OLIVIA-HF/calendar.ics"))

    assert set(entries(by_name)) == set(entries(by_handle)) == {"Public night"}
    assert client.get("/organisers/nobody/calendar.ics").status_code == 404
    assert client.get(f"/organisers/{UserFactory().username}/calendar.ics").status_code == 404
