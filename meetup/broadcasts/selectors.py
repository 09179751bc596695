"""Reads that the compose page, the broadcast page and the API share."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from meetup.broadcasts import render
from meetup.broadcasts.audience import AUDIENCES, email_consent, sms_consent
from meetup.broadcasts.models import Broadcast, Delivery
from meetup.broadcasts.quiet_hours import quiet_until
from meetup.broadcasts.sms import Segments, segments
from meetup.events.models import RSVP
from meetup.events.roles import can_manage_event


@dataclass
class Reach:
    audience: int
    sms: int
    email: int

    @property
    def unreachable(self) -> int:
        return max(0, self.audience - self.sms - self.email)


def audience_reach(*, event, audience: str, channels: str) -> Reach:
    """How many people a blast would reach on each channel once consent is applied (one query)."""
    sms, email = sms_consent("user__"), email_consent("user__")
    counts = RSVP.objects.filter(AUDIENCES[audience], event=event).aggregate(
        audience=Count("id"), sms=Count("id", filter=sms), email=Count("id", filter=email),
        email_only=Count("id", filter=email & ~sms),
    )
    return Reach(
        audience=counts["audience"],
        sms=counts["sms"] if channels != Broadcast.Channels.EMAIL else 0,
        email={Broadcast.Channels.SMS: 0, Broadcast.Channels.SMS_OR_EMAIL: counts["email_only"]}.get(
            channels, counts["email"]),
    )


def sample_recipient(*, event, audience: str):
    rsvp = RSVP.objects.filter(AUDIENCES[audience], event=event).select_related("user").order_by("created_at").first()
    return rsvp.user if rsvp else None


@dataclass
class Estimate:
    sms: Segments
    sms_text: str
    minutes: float
    quiet_until: datetime | None


def compose_estimate(*, broadcast: Broadcast, reach: Reach, sample) -> Estimate:
    """The sample recipient's text, its segments, how long the texts take at the provider rate,
    and whether sending now (or at the scheduled time) falls in quiet hours in the event's zone."""
    text = render.sms_text(broadcast, sample, render.event_values(broadcast.event)) if sample else (
        broadcast.body + "\n" + str(render.SMS_FOOTER))
    parts = segments(text)
    seconds = reach.sms * parts.count / settings.SMS_RATE_PER_SECOND
    held = None
    if broadcast.uses_sms and broadcast.kind == Broadcast.Kind.ANNOUNCEMENT:
        held = quiet_until(broadcast.scheduled_for or timezone.now(), broadcast.event.tz)
    return Estimate(sms=parts, sms_text=text, minutes=math.ceil(seconds / 60 * 10) / 10, quiet_until=held)


def broadcast_counts(broadcast: Broadcast) -> dict[str, int]:
    """Deliveries by status, the total, and the possible duplicates (one query)."""
    aggregates = {status: Count("id", filter=Q(status=status)) for status in Delivery.Status.values}
    counts = Delivery.objects.filter(broadcast=broadcast).aggregate(
        total=Count("id"), possible_duplicates=Count("id", filter=Q(possible_duplicate=True)), **aggregates)
    counts["done"] = sum(counts[s] for s in Delivery.DONE)
    counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else 100
    return counts


def broadcast_for(user, broadcast_id: int) -> Broadcast | None:
    """The broadcast if the caller may manage its event; None otherwise (shown as not found)."""
    broadcast = Broadcast.objects.select_related("event", "event__venue", "created_by").filter(pk=broadcast_id).first()
    if broadcast is None or not can_manage_event(user, broadcast.event):
        return None
    return broadcast


def broadcasts_of(event):
    return event.broadcasts.select_related("created_by").order_by("-created_at")


def delivery_problems(broadcast: Broadcast, *, limit: int = 50):
    """Failures with their reasons, and messages that may have gone out twice."""
    return (
        Delivery.objects.filter(Q(status=Delivery.Status.FAILED) | Q(possible_duplicate=True), broadcast=broadcast)
        .select_related("user").order_by("id")[:limit]
    )


def delivery_rows(broadcast: Broadcast):
    """Every delivery of a broadcast for the CSV report, read in chunks."""
    return (
        Delivery.objects.filter(broadcast=broadcast).order_by("id")
        .values_list("user__username", "user__email", "user__phone", "channel", "status", "attempts", "sent_at",
                     "provider_id", "error", "possible_duplicate")
        .iterator(chunk_size=2000)
    )
