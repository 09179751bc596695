"""Who a broadcast reaches: its audiences among an event's RSVPs, and the consent each channel
needs. Checked when planning and again when each message is claimed (invariant: nobody who opted
out before their message is claimed gets it)."""

from django.db.models import Q

from meetup.broadcasts.models import Broadcast
from meetup.events.models import RSVP

AUDIENCES = {
    Broadcast.Audience.GOING: Q(status=RSVP.Status.GOING),
    Broadcast.Audience.WAITLISTED: Q(status=RSVP.Status.WAITLISTED),
    Broadcast.Audience.ALL: Q(status__in=[RSVP.Status.GOING, RSVP.Status.WAITLISTED]),
    Broadcast.Audience.CHECKED_IN: Q(status=RSVP.Status.GOING, checked_in_at__isnull=False),
    Broadcast.Audience.NOT_CHECKED_IN: Q(status=RSVP.Status.GOING, checked_in_at__isnull=True),
}


def sms_consent(prefix: str = "") -> Q:
    """Who may be texted: an opt-in and a number. Checked when planning and again when claiming."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}sms_opt_in": True, f"{prefix}phone__isnull": False}) & ~Q(
        **{f"{prefix}phone": ""})


def email_consent(prefix: str = "", *, transactional: bool = False) -> Q:
    """Who may be emailed: an address that has not bounced and, except for messages the person
    asked for (tickets), the email opt-in."""
    q = Q(**{f"{prefix}is_active": True, f"{prefix}email_undeliverable_at__isnull": True}) & ~Q(
        **{f"{prefix}email": ""})
    return q if transactional else q & Q(**{f"{prefix}email_opt_in": True})
