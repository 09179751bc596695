"""Venue pages and the venue API follow one rule, and draft events never leak by title (hole 10)."""

from datetime import timedelta

from django.utils import timezone

from meetup.accounts.services import organiser_grant
from meetup.events.models import Booking, Event
from tests.factories import EventFactory, UserFactory, VenueFactory


def test_a_draft_events_title_does_not_leak_on_the_venue_page(client, organiser):
    venue = VenueFactory()
    other = UserFactory()
    organiser_grant(user=other)
    draft = EventFactory(title="Stealth Launch Party", status=Event.Status.DRAFT)
    draft.organisers.add(other)
    start = timezone.now() + timedelta(days=3)
    Booking.objects.create(venue=venue, event=draft, starts_at=start, ends_at=start + timedelta(hours=3),
                           status=Booking.Status.CONFIRMED)
    client.force_login(organiser)

    page = client.get(f"/venues/{venue.slug}/").content.decode()

    assert "Stealth Launch Party" not in page and "an unpublished event" in page
    client.force_login(other)
    assert "Stealth Launch Party" in client.get(f"/venues/{venue.slug}/").content.decode()


def test_attendees_cannot_list_venues_through_the_api_either(api, attendee, organiser):
    VenueFactory()

    assert api(attendee).get("/api/venues").status_code == 403
    assert api(organiser).get("/api/venues").status_code == 200
