"""Waitlist offers: claim one by its signed link (no login), decline it, expire the unclaimed.

Invariant 9 lives here with capacity.py: an open offer holds its seat (the RSVP is `offered` and
counted in the shards) and leaves `open` exactly once, by a conditional UPDATE on the offer row
whose row count is checked, so a claim racing the expiry job (or two expiry jobs) can never hand
one seat to two people. Lock order everywhere: the offer row, then the RSVP row.
"""

from datetime import datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.events import capacity as seats
from meetup.events import signals
from meetup.events.models import RSVP, Event, Offer
from meetup.lib.errors import Refused

OFFER_SALT = "meetup.waitlist-offer"
MAX_TOKEN_LENGTH = 200


def offer_token(offer: Offer) -> str:
    """The signed claim token: offer, RSVP and event ids, so a token for one person's offer never
    matches another offer, and a changed one fails its signature."""
    return signing.Signer(salt=OFFER_SALT).sign(f"{offer.pk}.{offer.rsvp_id}.{offer.event_id}")


def offer_from_token(token: str) -> Offer | None:
    """The offer a token names, or None for a tampered or unknown token."""
    if not token or len(token) > MAX_TOKEN_LENGTH or "\x00" in token:
        return None
    try:
        offer_id, rsvp_id, event_id = (int(part) for part in signing.Signer(salt=OFFER_SALT).unsign(token).split("."))
    except (signing.BadSignature, ValueError):
        return None
    return (Offer.objects.select_related("event", "event__venue", "rsvp", "rsvp__user")
            .filter(pk=offer_id, rsvp_id=rsvp_id, event_id=event_id).first())


def _check_person(offer: Offer, user) -> None:
    if user is not None and user.is_authenticated and user.pk != offer.rsvp.user_id:
        raise Refused("not_your_offer", _("This offer was made to someone else."), status=403)


def offer_claim(*, offer: Offer, user=None, now: datetime | None = None) -> RSVP:
    """Take the offered seat: the RSVP becomes going (its ticket email is then owed). No counter
    changes: the seat was held since the offer was made.

    Repeating a successful claim returns the same RSVP. Raises Refused when the offer expired
    (even if the expiry job has not run yet), was declined, or belongs to someone else signed in.
    """
    _check_person(offer, user)
    now = now or timezone.now()
    if offer.event.status == Event.Status.CANCELLED:
        raise Refused("event_cancelled", _("This event was cancelled."))
    with transaction.atomic():
        claimed = Offer.objects.filter(pk=offer.pk, status=Offer.Status.OPEN, expires_at__gt=now).update(
            status=Offer.Status.CLAIMED, decided_at=now)
        if claimed:
            going = RSVP.objects.filter(pk=offer.rsvp_id, status=RSVP.Status.OFFERED).update(
                status=RSVP.Status.GOING, promoted_at=now)
            if not going:  # cannot happen while every path locks the offer first; never half-claim
                raise Refused("offer_not_open", _("This offer is no longer open."))
    if not claimed:
        offer.refresh_from_db()
        if offer.status == Offer.Status.DECLINED:
            raise Refused("offer_declined", _("This offer was declined; the seat went to the next person."))
        if offer.status != Offer.Status.CLAIMED:
            raise Refused("offer_expired", _("This offer has expired; the seat went to the next person."), status=410)
    else:
        offer.status, offer.decided_at = Offer.Status.CLAIMED, now
    return RSVP.objects.get(pk=offer.rsvp_id)


def offer_decline(*, offer: Offer, user=None) -> Offer:
    """Say no to an open offer: the RSVP is cancelled and the seat offered to the next person, in
    this transaction."""
    _check_person(offer, user)
    now = timezone.now()
    with seats.Settlement(offer.event) as settlement:
        declined = Offer.objects.filter(pk=offer.pk, status=Offer.Status.OPEN, expires_at__gt=now).update(
            status=Offer.Status.DECLINED, decided_at=now)
        if declined and RSVP.objects.filter(pk=offer.rsvp_id, status=RSVP.Status.OFFERED).update(
                status=RSVP.Status.CANCELLED, cancelled_at=now):
            settlement.release_seat()
    offer.refresh_from_db()
    if not declined and offer.status != Offer.Status.DECLINED:
        raise Refused("offer_not_open", _("This offer is %(value)s.") % {"value": offer.get_status_display().lower()})
    return offer


def offers_expire(*, now: datetime | None = None) -> int:
    """Expire the open offers past their time (run by beat): each RSVP is cancelled and its seat
    offered to the next waitlisted person in the same transaction. Returns how many expired.

    Safe to run twice at once: each offer leaves `open` by a conditional UPDATE (row count
    checked) under the event's exclusive lock, so a seat is never passed twice, and a claim that
    won the row first keeps its seat.
    """
    now = now or timezone.now()
    expired = 0
    event_ids = set(Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now).values_list("event_id",
                                                                                                 flat=True))
    for event in Event.objects.filter(pk__in=event_ids).order_by("pk"):
        with seats.Settlement(event) as settlement:
            due = Offer.objects.filter(event=event, status=Offer.Status.OPEN, expires_at__lte=now).order_by("pk")
            passed_on = []
            for offer_id, rsvp_id in due.values_list("pk", "rsvp_id"):
                if not Offer.objects.filter(pk=offer_id, status=Offer.Status.OPEN, expires_at__lte=now).update(
                        status=Offer.Status.EXPIRED, decided_at=now):
                    continue  # claimed or expired by someone else meanwhile
                expired += 1
                if RSVP.objects.filter(pk=rsvp_id, status=RSVP.Status.OFFERED).update(
                        status=RSVP.Status.CANCELLED, cancelled_at=now):
                    settlement.release_seat()
                    passed_on.append(offer_id)
            if passed_on:  # each person is told their seat went on (in this transaction, so once)
                signals.offers_expired.send(sender=Offer, event=event, offer_ids=passed_on)
    return expired
