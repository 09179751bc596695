"""Invariant 4: no venue is double-booked for overlapping times."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from meetup.events import selectors, services
from meetup.events.models import Booking
from meetup.lib.errors import Refused
from tests.concurrency import race
from tests.factories import VenueFactory

ROOT = Path(__file__).resolve().parents[2]
T = datetime(2026, 12, 10, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
HOUR = timedelta(hours=1)


@pytest.fixture
def hall(db):
    return VenueFactory(name="Hall", capacity_standing=500)


def book(venue, start, end, **kwargs):
    return services.booking_create(venue=venue, starts_at=start, ends_at=end, **kwargs)


def test_back_to_back_bookings_are_allowed(hall):
    book(hall, T, T + 2 * HOUR, confirmed=True)

    later = book(hall, T + 2 * HOUR, T + 4 * HOUR, confirmed=True)

    assert later.status == "confirmed"


@pytest.mark.parametrize("start, end", [(T + HOUR, T + 3 * HOUR), (T - HOUR, T + HOUR), (T, T + 2 * HOUR),
                                        (T + 30 * timedelta(minutes=1), T + HOUR), (T - HOUR, T + 5 * HOUR)])
def test_an_overlapping_booking_is_refused(hall, start, end):
    book(hall, T, T + 2 * HOUR)

    with pytest.raises(Refused, match="already booked"):
        book(hall, start, end, confirmed=True)

    assert Booking.objects.count() == 1


def test_another_venue_at_the_same_time_is_fine(hall):
    book(hall, T, T + 2 * HOUR, confirmed=True)

    assert book(VenueFactory(), T, T + 2 * HOUR, confirmed=True).status == "confirmed"


def test_a_released_booking_frees_the_venue(hall):
    first = book(hall, T, T + 2 * HOUR, confirmed=True)
    services.booking_release(booking=first)

    assert book(hall, T, T + 2 * HOUR).status == "held"


def test_hold_expiry_frees_the_venue(hall):
    with time_machine.travel(T - timedelta(days=10)):
        hold = book(hall, T, T + 2 * HOUR, hold_minutes=60)
        assert hall not in selectors.venues_available(starts_at=T, ends_at=T + HOUR)

    with time_machine.travel(T - timedelta(days=10) + 61 * timedelta(minutes=1)):
        assert hall in selectors.venues_available(starts_at=T, ends_at=T + HOUR)
        assert services.holds_expire() == 1
        assert book(hall, T, T + 2 * HOUR, confirmed=True).status == "confirmed"
        with pytest.raises(Refused):
            services.booking_confirm(booking=hold)

    assert Booking.objects.get(pk=hold.pk).status == "expired"


def test_a_live_hold_can_be_confirmed(hall):
    hold = book(hall, T, T + 2 * HOUR)

    assert services.booking_confirm(booking=hold).status == "confirmed"


def test_availability_lists_free_venues_that_fit_smallest_first(db):
    small, medium, large = (VenueFactory(capacity_standing=n) for n in (100, 800, 6000))
    booked = VenueFactory(capacity_standing=900)
    book(booked, T, T + 3 * HOUR, confirmed=True)

    free = list(selectors.venues_available(starts_at=T + HOUR, ends_at=T + 2 * HOUR, min_capacity=500))

    assert free == [medium, large]
    assert small not in free


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_concurrent_confirmations_of_one_slot_have_one_winner():
    hall = VenueFactory()

    def attempt(i):
        try:
            return book(hall, T + i * timedelta(minutes=1), T + 2 * HOUR, confirmed=True).status
        except Refused:
            return "refused"

    results = race(10, attempt)

    assert sorted(results) == ["confirmed"] + ["refused"] * 9
    assert Booking.objects.filter(status="confirmed").count() == 1


SQLITE_SCRIPT = r"""
import json, threading
import django
django.setup()
from datetime import datetime, timedelta, timezone
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from meetup.events import services
from meetup.events.models import Booking, Venue
from meetup.lib.errors import Refused
hall = Venue.objects.create(name="Hall", slug="hall", address="x", capacity_standing=100)
t = datetime(2026, 12, 10, 17, tzinfo=timezone.utc)
outcomes = []
barrier = threading.Barrier(8)
def attempt(i):
    try:
        barrier.wait()
        services.booking_create(venue=hall, starts_at=t + timedelta(minutes=i), ends_at=t + timedelta(hours=2),
                                confirmed=True)
        outcomes.append("confirmed")
    except Refused:
        outcomes.append("refused")
    finally:
        connection.close()
threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
[th.start() for th in threads]
[th.join() for th in threads]
services.booking_create(venue=hall, starts_at=t + timedelta(hours=2), ends_at=t + timedelta(hours=3), confirmed=True)
print(json.dumps({"outcomes": sorted(outcomes), "active": Booking.objects.filter(status="confirmed").count()}))
"""


def test_on_sqlite_the_service_refuses_overlaps_from_threads_and_allows_back_to_back(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="meetup.settings")

    result = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=180)

    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "outcomes": ["confirmed"] + ["refused"] * 7, "active": 2}


# --- API ------------------------------------------------------------------------------------------
def test_an_organiser_adds_a_venue_books_it_and_a_clash_gets_409(api, organiser):
    caller = api(organiser)
    venue = caller.post("/api/venues", {"name": "Pier 48", "address": "Pier 48, SF", "capacity_standing": 6000,
                                        "timezone": "America/Los_Angeles"})
    assert (venue.status_code, venue.json()["slug"]) == (201, "pier-48")
    slot = {"starts_at": "2026-12-10T18:00:00-08:00", "ends_at": "2026-12-10T22:00:00-08:00"}

    held = caller.post("/api/venues/pier-48/bookings", slot)
    clash = caller.post("/api/venues/pier-48/bookings", {**slot, "confirmed": True})
    confirmed = caller.post(f"/api/bookings/{held.json()['id']}/confirm")

    assert (held.status_code, held.json()["status"]) == (201, "held")
    assert (clash.status_code, clash.json()["error"]) == (409, "venue_taken")
    assert confirmed.json()["status"] == "confirmed"
    free = caller.get("/api/venues?starts_at=2026-12-10T19:00:00-08:00&ends_at=2026-12-10T20:00:00-08:00")
    assert "pier-48" not in [v["slug"] for v in free.json()]


def test_attendees_cannot_add_or_book_venues(api, attendee, hall):
    caller = api(attendee)

    assert caller.post("/api/venues", {"name": "X", "address": "Y", "capacity_standing": 10}).status_code == 403
    assert caller.post(f"/api/venues/{hall.slug}/bookings", {"starts_at": "2026-12-10T18:00:00+00:00",
                                                            "ends_at": "2026-12-10T19:00:00+00:00"}).status_code == 403


@pytest.mark.parametrize("body", [
    {"starts_at": "2026-12-10T18:00:00+00:00", "ends_at": "2026-12-10T17:00:00+00:00"},
    {"starts_at": "2026-12-10T18:00:00", "ends_at": "2026-12-10T19:00:00+00:00"},
    {"starts_at": "soon", "ends_at": "later"},
    {"starts_at": "2026-12-10T18:00:00+00:00", "ends_at": "2026-12-10T19:00:00+00:00", "event": "not-mine"},
])
def test_bad_booking_input_gets_400(api, organiser, hall, body):
    response = api(organiser).post(f"/api/venues/{hall.slug}/bookings", body)

    assert response.status_code == 400, response.json()
    assert not Booking.objects.exists()


def test_bookings_default_to_a_hold_that_expires(api, organiser, hall):
    body = api(organiser).post(f"/api/venues/{hall.slug}/bookings", {
        "starts_at": "2026-12-10T18:00:00+00:00", "ends_at": "2026-12-10T19:00:00+00:00", "hold_minutes": 30}).json()

    expires = datetime.fromisoformat(body["hold_expires_at"])
    assert timedelta(minutes=29) < expires - timezone.now() <= timedelta(minutes=30)


def test_the_venue_page_finds_free_venues_for_organisers(client, organiser, db):
    taken, free = VenueFactory(name="Taken Hall", capacity_standing=800), VenueFactory(name="Free Hall",
                                                                                       capacity_standing=900)
    book(taken, T, T + 3 * HOUR, confirmed=True)
    client.force_login(organiser)

    page = client.get("/venues/", {"starts_at": "2026-12-10T18:30", "ends_at": "2026-12-10T20:00",
                                   "min_capacity": "500"}).content.decode()

    assert "Free Hall" in page and "Taken Hall" not in page
    assert free.slug in page


def test_the_venue_pages_are_for_organisers(client, attendee, hall):
    client.force_login(attendee)

    assert client.get("/venues/").status_code == 403
    assert client.get(f"/venues/{hall.slug}/").status_code == 403


def test_an_organiser_adds_a_venue_from_the_page(client, organiser):
    client.force_login(organiser)

    response = client.post("/venues/new/", {"name": "Loft", "address": "1 Street", "timezone": "Europe/Paris",
                                            "capacity_standing": "120"})

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
