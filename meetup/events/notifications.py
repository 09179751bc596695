"""RSVP emails: which one an RSVP is owed, and what it says.

The RSVP rows themselves record what their owner was last told (RSVP.notified_status); the
broadcasts tick turns what is owed into deliveries on the event's RSVP stream
(`broadcasts.services.rsvp_messages_plan`), so these emails go through the same outbox, with the
same tracking, as every other message. The RSVP hot path pays nothing for it.
"""

from django.db.models import F, Q

from meetup.events import selectors, tickets
from meetup.events.models import RSVP
from meetup.lib import emails

OWED = Q(status__in=[RSVP.Status.GOING, RSVP.Status.WAITLISTED]) & ~Q(notified_status=F("status"))


def owed_kind(rsvp: RSVP) -> str | None:
    """Which email this RSVP is owed: going, promoted (off the waitlist), waitlisted, or none."""
    if rsvp.status == rsvp.notified_status or rsvp.status == RSVP.Status.CANCELLED:
        return None
    if rsvp.status == RSVP.Status.GOING:
        return "promoted" if rsvp.notified_status == RSVP.Status.WAITLISTED else "going"
    return "waitlisted"


def rsvp_email(*, event, user, kind: str):
    """The ticket (going, promoted) or waitlist email, from the RSVP as it is now; None when the
    RSVP no longer matches (cancelled, or promoted before the waitlist email went out)."""
    rsvp = RSVP.objects.filter(event=event, user=user).first()
    wanted = RSVP.Status.WAITLISTED if kind == "waitlisted" else RSVP.Status.GOING
    if rsvp is None or rsvp.status != wanted:
        return None
    context = {"rsvp": rsvp, "event": event, "user": user, "event_url": tickets.event_url(event), "kind": kind}
    attachments, images = [], []
    if kind == "waitlisted":
        context["position"] = selectors.waitlist_position(rsvp)
    else:
        attachments.append((f"{event.slug}.ics", tickets.event_ics(event), "text/calendar"))
        images.append(emails.InlineImage("ticket-qr", tickets.qr_png(rsvp.ticket_code)))
    template = "rsvp-waitlisted" if kind == "waitlisted" else "rsvp-ticket"
    return emails.build(template, to=user.email, context=context, attachments=attachments, inline_images=images)


def rsvp_email_for(delivery):
    """The email of one delivery on an event's RSVP stream (see broadcasts.registry)."""
    return rsvp_email(event=delivery.broadcast.event, user=delivery.user, kind=delivery.template)
