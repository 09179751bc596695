"""Every write of the events app, by subject:

- `rsvps`: events, capacity and RSVPs (never overbook; the waitlist in arrival order);
- `checkin`: the door online (a ticket admits once while its holder is inside);
- `door`: entrances and scans synced from devices that scanned offline (earliest admission kept);
- `venues`: venues, holds and bookings (never double-booked), venue moves, forecast alerts;
- `team`: co-organisers and door staff, invited by email and accepting.

The names are re-exported here so callers write `services.rsvp_create(...)`.
"""

from meetup.events.services.checkin import CheckinResult, checkin
from meetup.events.services.door import ScanIn, entrance_create, scans_sync
from meetup.events.services.rsvps import (
    capacity_change,
    event_create,
    event_update,
    rsvp_cancel,
    rsvp_create,
    rsvp_promote,
)
from meetup.events.services.venues import (
    HOLD_MINUTES,
    booking_confirm,
    booking_create,
    booking_release,
    forecast_alerts_check,
    holds_expire,
    venue_create,
    venue_move,
)

__all__ = [
    "CheckinResult", "HOLD_MINUTES", "booking_confirm", "booking_create", "booking_release", "capacity_change",
    "ScanIn", "checkin", "entrance_create", "event_create", "event_update", "forecast_alerts_check", "holds_expire",
    "rsvp_cancel",
    "rsvp_create", "rsvp_promote", "scans_sync", "venue_create", "venue_move",
]
