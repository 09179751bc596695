"""A booking never blocks a shared venue for long: at most 7 days, and one of no event expires
(hole 9)."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from meetup.events.services import venues as venue_services
from tests.factories import EventFactory, VenueFactory


def test_a_confirmed_booking_with_no_event_running_for_years_is_refused(api, organiser):
    venue = VenueFactory()

    response = api(organiser).post(f"/api/venues/{venue.slug}/bookings", {
        "starts_at": "2030-01-01T10:00:00+00:00", "ends_at": "2099-12-31T10:00:00+00:00", "confirmed": True})

    assert response.status_code == 400
    assert "ends_at" in response.json()["fields"]


def test_a_confirmed_booking_with_no_event_expires_and_frees_the_venue(api, organiser):
    venue = VenueFactory()
    start = timezone.now() + timedelta(days=30)
    slot = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=2)).isoformat()}
    first = api(organiser).post(f"/api/venues/{venue.slug}/bookings", {**slot, "confirmed": True})
    assert first.status_code == 201 and first.json()["hold_expires_at"] is not None

    with time_machine.travel(timezone.now() + timedelta(minutes=venue_services.HOLD_MINUTES + 1)):
        second = api(organiser).post(f"/api/venues/{venue.slug}/bookings", {**slot, "confirmed": True})

    assert second.status_code == 201


def test_a_confirmed_booking_for_an_event_does_not_expire(api, organiser):
    venue = VenueFactory()
    event = EventFactory()
    event.organisers.add(organiser)
    start = timezone.now() + timedelta(days=30)

    response = api(organiser).post(f"/api/venues/{venue.slug}/bookings", {
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=4)).isoformat(), "confirmed": True,
        "event": event.slug})

    assert response.status_code == 201 and response.json()["hold_expires_at"] is None
