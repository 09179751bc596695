"""Every write of the events app, by subject:

- `rsvps`: events, capacity and RSVPs (never overbook; the waitlist in arrival order);
- `checkin`: the door (a ticket admits once);
- `venues`: venues, holds and bookings (never double-booked), venue moves, forecast alerts;
- `team`: co-organisers and door staff, invited by email and accepting;
- `offers`: waitlist offers claimed by signed link, declined or expired (a seat held once);
- `reconfirm`: "still coming?" asked of everyone going, answered by link or text.

The names are re-exported here so callers write `services.rsvp_create(...)`.
"""

from meetup.events.services.checkin import CheckinResult, checkin
from meetup.events.services.offers import (
    offer_claim,
    offer_decline,
    offer_from_token,
    offer_token,
    offers_expire,
)
from meetup.events.services.reconfirm import (
    reconfirmation_answer,
    reconfirmation_from_token,
    reconfirmation_token,
    reconfirmations_ask,
    reconfirmations_due,
)
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
    "checkin", "event_create", "event_update", "forecast_alerts_check", "holds_expire", "rsvp_cancel",
    "rsvp_create", "rsvp_promote", "venue_create", "venue_move",
    "offer_claim", "offer_decline", "offer_from_token", "offer_token", "offers_expire",
    "reconfirmation_answer", "reconfirmation_from_token", "reconfirmation_token", "reconfirmations_ask",
    "reconfirmations_due",
]
