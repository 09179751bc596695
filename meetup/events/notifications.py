"""RSVP emails, sent from the RSVP rows themselves (see RSVP.notified_status).

A worker sweeps the rows that owe an email, locks each (SKIP LOCKED, so workers share the work),
sends, and records what it told. A crash between sending and recording sends that one email again;
nothing is ever lost. The RSVP hot path pays nothing for it.
"""

import logging

from django.db import transaction
from django.db.models import F, Q

from meetup.events import selectors, tickets
from meetup.events.models import RSVP
from meetup.lib import emails

logger = logging.getLogger(__name__)

OWED = Q(status__in=[RSVP.Status.GOING, RSVP.Status.WAITLISTED]) & ~Q(notified_status=F("status"))


def owed_kind(rsvp: RSVP) -> str | None:
    """Which email this RSVP is owed: going, promoted (off the waitlist), waitlisted, or none."""
    if rsvp.status == rsvp.notified_status or rsvp.status == RSVP.Status.CANCELLED:
        return None
    if rsvp.status == RSVP.Status.GOING:
        return "promoted" if rsvp.notified_status == RSVP.Status.WAITLISTED else "going"
    return "waitlisted"


def rsvp_emails_send_owed(*, limit: int = 500) -> int:
    """Send the RSVP emails that are owed, oldest first; returns how many were sent."""
    sent = 0
    for rsvp_id in RSVP.objects.filter(OWED).order_by("id").values_list("id", flat=True)[:limit]:
        with transaction.atomic():
            rsvp = (RSVP.objects.select_for_update(skip_locked=True, of=("self",)).filter(OWED, pk=rsvp_id)
                    .select_related("event", "event__venue", "user").first())
            if rsvp is None:  # another worker has it, or it changed and owes nothing now
                continue
            try:
                _send(rsvp, owed_kind(rsvp))
            except OSError:
                logger.exception("RSVP email to %s failed; it stays owed", rsvp.user_id)
                return sent
            RSVP.objects.filter(pk=rsvp.pk).update(notified_status=rsvp.status)
            sent += 1
    return sent


def _send(rsvp: RSVP, kind: str) -> None:
    if not rsvp.user.email:
        return
    event = rsvp.event
    context = {"rsvp": rsvp, "event": event, "user": rsvp.user, "event_url": tickets.event_url(event), "kind": kind}
    attachments, images = [], []
    if kind == "waitlisted":
        context["position"] = selectors.waitlist_position(rsvp)
    else:
        attachments.append((f"{event.slug}.ics", tickets.event_ics(event), "text/calendar"))
        images.append(emails.InlineImage("ticket-qr", tickets.qr_png(rsvp.ticket_code)))
    template = "rsvp-waitlisted" if kind == "waitlisted" else "rsvp-ticket"
    emails.send(template, to=rsvp.user.email, context=context, attachments=attachments, inline_images=images)
