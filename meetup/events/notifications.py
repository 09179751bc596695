"""What the events app's automatic emails say: tickets and waitlist places, team invitations and
forecast alerts. Each builder takes one outbox delivery and builds its email from the data as it is
at send time (None when it no longer applies); the broadcasts app registers them by kind.

The RSVP rows themselves record what their owner was last told (RSVP.notified_status); the
broadcasts tick turns what is owed into deliveries on the event's RSVP stream
(`broadcasts.services.rsvp_messages_plan`), so these emails go through the same outbox, with the
same tracking, as every other message. The RSVP hot path pays nothing for it.
"""

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from meetup.events import selectors, signing, tickets
from meetup.events.models import RSVP, Invitation
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
    """The ticket (going, promoted), waitlist, declined-registration or offer-ran-out email, from the
    RSVP as it is now; None when the RSVP no longer matches (cancelled, or promoted before the waitlist email
    went out). An organiser's note on an approval or decline is included."""
    rsvp = RSVP.objects.filter(event=event, user=user).first()
    wanted = {"waitlisted": RSVP.Status.WAITLISTED, "declined": RSVP.Status.DECLINED,
              "offer-expired": RSVP.Status.CANCELLED}.get(kind, RSVP.Status.GOING)
    if rsvp is None or rsvp.status != wanted:
        return None  # e.g. someone whose offer ran out has RSVPed again since: nothing to tell
    if kind in ("declined", "offer-expired"):
        return emails.build(f"rsvp-{kind}", to=user.email, context={
            "rsvp": rsvp, "event": event, "user": user, "event_url": tickets.event_url(event)})
    context = {"rsvp": rsvp, "event": event, "user": user, "event_url": tickets.event_url(event), "kind": kind}
    attachments, images = [], []
    if kind == "waitlisted":
        context["position"] = selectors.waitlist_position(rsvp)
    else:
        attachments.append((f"{event.slug}.ics", tickets.event_ics(event), "text/calendar"))
        images.append(emails.InlineImage("ticket-qr", tickets.qr_png(signing.ticket_code(rsvp))))
    template = "rsvp-waitlisted" if kind == "waitlisted" else "rsvp-ticket"
    return emails.build(template, to=user.email, context=context, attachments=attachments, inline_images=images)


def rsvp_email_for(delivery):
    """The email of one delivery on an event's RSVP stream (see broadcasts.registry)."""
    return rsvp_email(event=delivery.broadcast.event, user=delivery.user, kind=delivery.template)


def invitation_email(delivery):
    """A team invitation (the delivery's key is "invitation:<id>"); None once it is no longer pending."""
    invitation = Invitation.objects.select_related("event", "invited_by").filter(
        pk=int(delivery.key.split(":", 1)[1])).first()
    if invitation is None or invitation.state(timezone.now()) != "pending":
        return None
    return emails.build("team-invitation", to=invitation.email, context={
        "invitation": invitation, "event": invitation.event,
        "accept_url": settings.PUBLIC_BASE_URL + reverse("invitation_accept", args=[invitation.token]),
        "inviter": invitation.invited_by.public_name if invitation.invited_by else "An organiser",
    })


def forecast_alert_email(delivery):
    """A forecast alert to one organiser (the delivery's key is "forecast:<threshold>"), with the
    forecast and the free venues that fit as they are when it is sent."""
    event, organiser = delivery.broadcast.event, delivery.user
    if not event.organisers.filter(pk=organiser.pk).exists():
        return None
    forecast = selectors.event_forecast(event)
    venues = list(selectors.venues_available(starts_at=event.starts_at, ends_at=event.ends_at,
                                             min_capacity=forecast.turnout_high)[:5])
    return emails.build("forecast-alert", to=organiser.email, context={
        "event": event, "forecast": forecast, "threshold": int(delivery.key.split(":", 1)[1]),
        "capacity": selectors.event_capacity_target(event), "venues": venues, "organiser": organiser})
