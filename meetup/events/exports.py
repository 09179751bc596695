from meetup.events import selectors
from meetup.events.models import Event
from meetup.lib.csv import streaming_csv

RSVP_COLUMNS = ["username", "display_name", "email", "phone", "status", "created_at", "promoted_at",
                "checked_in_at", "cancelled_at"]


def rsvps_csv_response(event: Event, *, status: str = "", search: str = "", checked_in: str = ""):
    """All of an event's RSVPs in arrival order, streamed in chunks (fine at 50,000 rows)."""
    rows = (
        selectors.rsvp_list(event, status=status, search=search, checked_in=checked_in)
        .values_list("user__username", "user__display_name", "user__email", "user__phone", "status", "created_at",
                     "promoted_at", "checked_in_at", "cancelled_at")
        .iterator(chunk_size=2000)
    )
    return streaming_csv(f"{event.slug}-rsvps.csv", RSVP_COLUMNS, rows)


def checkins_csv_response(event: Event):
    """Who came, in the order they came through the door."""
    rows = (
        event.rsvps.filter(checked_in_at__isnull=False).order_by("checked_in_at", "id")
        .values_list("checked_in_at", "user__username", "user__display_name", "user__email", "ticket_code")
        .iterator(chunk_size=2000)
    )
    return streaming_csv(f"{event.slug}-checkins.csv", ["checked_in_at", "username", "display_name", "email",
                                                        "ticket_code"], rows)
