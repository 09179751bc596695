from meetup.events import selectors, tickets
from meetup.events.models import RSVP
from meetup.lib import emails

KINDS = {"going", "waitlisted", "promoted"}


def rsvp_email_send(*, rsvp_id: int, kind: str) -> bool:
    """Send one RSVP email. Skips (returns False) when the RSVP no longer is in the state the email
    talks about, so a late or repeated task never tells someone something stale."""
    if kind not in KINDS:
        raise ValueError(f"unknown RSVP email {kind!r}")
    rsvp = RSVP.objects.select_related("event", "event__venue", "user").filter(pk=rsvp_id).first()
    expected = RSVP.Status.WAITLISTED if kind == "waitlisted" else RSVP.Status.GOING
    if rsvp is None or rsvp.status != expected or not rsvp.user.email:
        return False
    event = rsvp.event
    context = {"rsvp": rsvp, "event": event, "user": rsvp.user, "event_url": tickets.event_url(event),
               "kind": kind}
    attachments, images = [], []
    if kind == "waitlisted":
        context["position"] = selectors.waitlist_position(rsvp)
    else:
        attachments.append((f"{event.slug}.ics", tickets.event_ics(event), "text/calendar"))
        images.append(emails.InlineImage("ticket-qr", tickets.qr_png(rsvp.ticket_code)))
    template = "rsvp-waitlisted" if kind == "waitlisted" else "rsvp-ticket"
    emails.send(template, to=rsvp.user.email, context=context, attachments=attachments, inline_images=images)
    return True
