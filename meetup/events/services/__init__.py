"""Every write of the events app, by subject:

- `rsvps`: events, capacity and RSVPs (never overbook; the waitlist in arrival order);
- `checkin`: the door online (a ticket admits once while its holder is inside);
- `door`: entrances and scans synced from devices that scanned offline (earliest admission kept);
- `venues`: venues, holds and bookings (never double-booked), venue moves, forecast alerts;
- `team`: co-organisers and door staff, invited by email and accepting;
- `questions`: registration questions and attendees' typed answers;
- `approvals`: requested RSVPs, organisers' decisions, invited people who skip them;
- `calendars`: personal calendar feed tokens.
- `offers`: waitlist offers claimed by signed link, declined or expired (a seat held once);
- `reconfirm`: "still coming?" asked of everyone going, answered by link or text.

The names are re-exported here so callers write `services.rsvp_create(...)`.
"""

from meetup.events.services.approvals import (
    attendee_invites_add,
    invite_link_rotate,
    rsvp_approve,
    rsvp_decline,
    rsvps_decide,
)
from meetup.events.services.calendars import calendar_feed_get_or_create, calendar_feed_revoke
from meetup.events.services.checkin import CheckinResult, checkin
from meetup.events.services.door import ScanIn, entrance_create, scans_sync
from meetup.events.services.offers import (
    offer_claim,
    offer_decline,
    offer_from_token,
    offer_token,
    offers_expire,
)
from meetup.events.services.questions import (
    answers_update,
    question_add_access_needs,
    question_create,
    question_delete,
    question_update,
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
    rsvp_details_update,
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
    "answers_update", "attendee_invites_add", "calendar_feed_get_or_create", "calendar_feed_revoke",
    "invite_link_rotate", "question_add_access_needs", "question_create", "question_delete", "question_update",
    "rsvp_approve", "rsvp_decline",
    "rsvp_details_update", "rsvps_decide",
    "CheckinResult", "HOLD_MINUTES", "booking_confirm", "booking_create", "booking_release", "capacity_change",
    "ScanIn", "checkin", "entrance_create", "event_create", "event_update", "forecast_alerts_check", "holds_expire",
    "rsvp_cancel", "rsvp_create", "rsvp_promote", "scans_sync", "venue_create", "venue_move",
    "offer_claim", "offer_decline", "offer_from_token", "offer_token", "offers_expire",
    "reconfirmation_answer", "reconfirmation_from_token", "reconfirmation_token", "reconfirmations_ask",
    "reconfirmations_due",
]
