"""A project, event, venue or call titled like one of the site's own addresses can still be opened
(hole 8)."""

import pytest

from tests.factories import VenueFactory

EVENT = {"starts_at": "2030-12-10T18:30:00+01:00", "ends_at": "2030-12-10T22:00:00+01:00",
         "timezone": "Europe/Berlin", "capacity": 10, "status": "published"}


def test_a_project_titled_new_gets_a_slug_that_opens(api, client, attendee):
    response = api(attendee).post("/api/projects", {"title": "New", "summary": "s"})

    slug = response.json()["slug"]
    assert slug != "new"
    assert client.get(f"/projects/{slug}/").status_code == 200


@pytest.mark.parametrize("title", ["New", "Invitations"])
def test_an_event_titled_like_an_address_gets_a_slug_that_opens(api, client, organiser, title):
    response = api(organiser).post("/api/events", {**EVENT, "title": title})

    slug = response.json()["slug"]
    assert slug != title.lower()
    assert client.get(f"/events/{slug}/").status_code == 200


def test_a_chosen_reserved_event_slug_is_refused(api, organiser):
    response = api(organiser).post("/api/events", {**EVENT, "title": "x", "slug": "new"})

    assert response.status_code == 400
    assert "slug" in response.json()["fields"]


def test_a_venue_named_new_gets_a_slug_that_opens(client, organiser):
    VenueFactory()
    client.force_login(organiser)

    client.post("/venues/new/", {"name": "New", "address": "1 Street", "timezone": "UTC", "capacity_standing": 10})

    from meetup.events.models import Venue
    slug = Venue.objects.get(name="New").slug
    assert slug != "new"
    assert client.get(f"/venues/{slug}/").status_code == 200
