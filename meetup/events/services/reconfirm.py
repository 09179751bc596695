"""Reconfirmation: ask everyone going "still coming?" (an organiser's button or the event's
schedule) and record the answers. A "no" releases the seat at once, through rsvp_cancel, so it is
offered or promoted per the event's waitlist mode in the same transaction.

Each going RSVP is asked once (one Reconfirmation row per RSVP); asking again asks only those
not asked yet. Answers come by signed link (no login) or by a YES/NO text.
"""

from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record
from meetup.events.models import RSVP, Event, Reconfirmation
from meetup.events.services.rsvps import rsvp_cancel
from meetup.events.signals import reconfirmations_asked
from meetup.lib.errors import Refused

RECONFIRM_SALT = "meetup.reconfirmation"
MAX_TOKEN_LENGTH = 200


def reconfirmation_token(reconfirmation: Reconfirmation) -> str:
    return signing.Signer(salt=RECONFIRM_SALT).sign(
        f"{reconfirmation.pk}.{reconfirmation.rsvp_id}.{reconfirmation.event_id}")


def reconfirmation_from_token(token: str) -> Reconfirmation | None:
    if not token or len(token) > MAX_TOKEN_LENGTH or "\x00" in token:
        return None
    try:
        pk, rsvp_id, event_id = (int(p) for p in signing.Signer(salt=RECONFIRM_SALT).unsign(token).split("."))
    except (signing.BadSignature, ValueError):
        return None
    return (Reconfirmation.objects.select_related("event", "event__venue", "rsvp", "rsvp__user")
            .filter(pk=pk, rsvp_id=rsvp_id, event_id=event_id).first())


def reconfirmations_ask(*, event: Event, actor=None, now: datetime | None = None) -> int:
    """Ask everyone going who was not asked yet; returns how many were asked. Their messages
    (email, and a text where they agreed to texts) go out through the outbox."""
    now = now or timezone.now()
    if event.status != Event.Status.PUBLISHED or now >= event.starts_at:
        raise Refused("not_upcoming", _("Only a published event that has not started can ask for reconfirmation."))
    with transaction.atomic():
        asked = set(Reconfirmation.objects.filter(event=event).values_list("rsvp_id", flat=True))
        going = RSVP.objects.filter(event=event, status=RSVP.Status.GOING, checked_in_at__isnull=True)
        rows = [Reconfirmation(event=event, rsvp_id=rsvp_id, asked_at=now)
                for rsvp_id in going.values_list("pk", flat=True) if rsvp_id not in asked]
        made = Reconfirmation.objects.bulk_create(rows, batch_size=2000)
        ids = [r.pk for r in made]
        if ids:
            reconfirmations_asked.send(sender=Reconfirmation, event=event, reconfirmation_ids=ids)
            audit_record(actor=actor, action=AuditEntry.Action.BROADCAST_SENT, event=event,
                         summary=f"Asked {len(ids):,} people going whether they are still coming")
    return len(ids)


def reconfirmation_answer(*, reconfirmation: Reconfirmation, coming: bool, user=None) -> Reconfirmation:
    """Record yes or no. No cancels the RSVP and frees the seat at once; a yes may follow a yes,
    and a no may follow a yes, but nothing brings a released seat back."""
    if user is not None and user.is_authenticated and user.pk != reconfirmation.rsvp.user_id:
        raise Refused("not_yours", _("This question was asked of someone else."), status=403)
    now = timezone.now()
    answer = Reconfirmation.Answer.YES if coming else Reconfirmation.Answer.NO
    with transaction.atomic():
        updated = Reconfirmation.objects.filter(
            pk=reconfirmation.pk, rsvp__status=RSVP.Status.GOING).exclude(answer=Reconfirmation.Answer.NO).update(
            answer=answer, answered_at=now)
        if not updated:
            reconfirmation.refresh_from_db()
            if reconfirmation.answer == answer:
                return reconfirmation
            raise Refused("seat_released", _("This RSVP is no longer going; RSVP again to join the waitlist."))
        if not coming:
            rsvp_cancel(event=reconfirmation.event, user=reconfirmation.rsvp.user)
    reconfirmation.refresh_from_db()
    return reconfirmation


def reconfirmations_due(*, now: datetime | None = None) -> int:
    """Ask, once per event, for the events whose `reconfirm_days_before` has come (run by beat).
    Returns how many people were asked."""
    now = now or timezone.now()
    asked = 0
    candidates = Event.objects.filter(status=Event.Status.PUBLISHED, reconfirm_days_before__isnull=False,
                                      reconfirm_asked_at__isnull=True, starts_at__gt=now,
                                      starts_at__lte=now + timedelta(days=30))
    for event in candidates:
        if now < event.starts_at - timedelta(days=event.reconfirm_days_before):
            continue
        with transaction.atomic():
            if not Event.objects.filter(pk=event.pk, reconfirm_asked_at__isnull=True).update(reconfirm_asked_at=now):
                continue  # another tick took it
            asked += reconfirmations_ask(event=event, now=now)
    return asked
