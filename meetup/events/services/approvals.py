"""Approval-based registration: requested RSVPs, organisers' decisions, and the invited who skip them.

Invariants kept here (with capacity.py):
- a requested RSVP holds no seat; approving it takes a seat through the same placement as any
  arrival (capacity.place_requested), or waitlists it when the event is full: never an overbooking;
- each RSVP is decided once: the decision is a conditional update from "requested";
- every decision is audited; a decline is told through the outbox (signal `rsvp_decided`), an
  approval through the ticket or waitlist email the RSVP is then owed (notifications.py).
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record
from meetup.events import capacity as seats
from meetup.events import signals
from meetup.events.models import RSVP, AttendeeInvite, Event
from meetup.lib.errors import Refused

MAX_NOTE = 1000
MAX_INVITES = 2000


def is_invited(*, event: Event, user, invite: str = "") -> bool:
    """Whether `user` skips approval: they hold the event's invitation link, or an organiser
    pasted their email address."""
    if event.invite_token and invite and secrets.compare_digest(invite, event.invite_token):
        return True
    return bool(user.email) and AttendeeInvite.objects.filter(event=event, email__iexact=user.email).exists()


def request_place(*, event: Event, user) -> RSVP | None:
    """Insert a requested RSVP (no seat); None if the user already has one for this event."""
    rsvp = RSVP(event=event, user=user, status=RSVP.Status.REQUESTED, created_at=timezone.now(),
                ticket_code=seats.new_ticket_code())
    try:
        with transaction.atomic():
            rsvp.save(force_insert=True)
    except IntegrityError:
        return None
    return rsvp


def request_again(*, rsvp: RSVP) -> bool:
    """A cancelled RSVP on an approval event comes back as a new request; False if it is not cancelled."""
    return bool(RSVP.objects.filter(pk=rsvp.pk, status=RSVP.Status.CANCELLED).update(
        status=RSVP.Status.REQUESTED, created_at=timezone.now(), cancelled_at=None, promoted_at=None,
        checked_in_at=None, decided_at=None, decision_note="", ticket_code=seats.new_ticket_code()))


def _note(note: str) -> str:
    note = "".join(c for c in (note or "") if c == "\n" or c >= " ").strip()
    if len(note) > MAX_NOTE:
        raise Refused("note_too_long", _("The message has at most %(max_note)s characters.") % {
            "max_note": MAX_NOTE}, status=400)
    return note


def rsvp_approve(*, rsvp: RSVP, actor=None, note: str = "") -> str:
    """Approve a requested RSVP: going if a seat is free, else waitlisted in arrival order (the
    approval is the arrival). Returns the new status; Refused if it is not requested."""
    note = _note(note)
    with transaction.atomic():
        status = seats.place_requested(rsvp=rsvp)
        if status is None:
            raise Refused("not_requested", _("This registration is not waiting for a decision."))
        RSVP.objects.filter(pk=rsvp.pk).update(decision_note=note)
        audit_record(actor=actor, action=AuditEntry.Action.APPROVAL, event=rsvp.event, rsvp=rsvp.pk,
                     summary=f"Approved {rsvp.user.public_name} ({status})", status=status)
    rsvp.refresh_from_db()
    return status


def rsvp_decline(*, rsvp: RSVP, actor=None, note: str = "") -> None:
    """Decline a requested RSVP; the person is told by email through the outbox."""
    note = _note(note)
    with transaction.atomic():
        updated = RSVP.objects.filter(pk=rsvp.pk, status=RSVP.Status.REQUESTED).update(
            status=RSVP.Status.DECLINED, decided_at=timezone.now(), decision_note=note)
        if not updated:
            raise Refused("not_requested", _("This registration is not waiting for a decision."))
        audit_record(actor=actor, action=AuditEntry.Action.DECLINE, event=rsvp.event, rsvp=rsvp.pk,
                     summary=f"Declined {rsvp.user.public_name}")
        rsvp.refresh_from_db()
        signals.rsvp_decided.send(sender=RSVP, rsvp=rsvp, decision="declined")


def rsvps_decide(*, event: Event, rsvp_ids: list[int], approve: bool, actor=None, note: str = "") -> dict:
    """Approve or decline several requested RSVPs of one event, one at a time in the order given;
    returns {"approved"/"declined": n, "going": n, "waitlisted": n, "skipped": n}."""
    _note(note)
    outcome = {"going": 0, "waitlisted": 0, "declined": 0, "skipped": 0}
    rsvps = RSVP.objects.filter(event=event, pk__in=rsvp_ids[:1000]).select_related("user", "event")
    by_id = {r.pk: r for r in rsvps}
    for rsvp_id in dict.fromkeys(rsvp_ids[:1000]):
        rsvp = by_id.get(rsvp_id)
        if rsvp is None or rsvp.status != RSVP.Status.REQUESTED:
            outcome["skipped"] += 1
            continue
        try:
            if approve:
                outcome[rsvp_approve(rsvp=rsvp, actor=actor, note=note)] += 1
            else:
                rsvp_decline(rsvp=rsvp, actor=actor, note=note)
                outcome["declined"] += 1
        except Refused:
            outcome["skipped"] += 1
    return outcome


def invite_link_rotate(*, event: Event) -> str:
    """A new invitation link token for the event (the old link stops skipping approval)."""
    event.invite_token = secrets.token_urlsafe(24)
    Event.objects.filter(pk=event.pk).update(invite_token=event.invite_token)
    return event.invite_token


def attendee_invites_add(*, event: Event, emails: list[str]) -> int:
    """Add pasted email addresses whose owners skip approval; returns how many were new."""
    clean = []
    for email in emails:
        email = email.strip().strip(",;<>").lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"emails": [_("Not an email address: %(value)r.") % {
                "value": email[:100]}]}) from None
        clean.append(email)
    if event.attendee_invites.count() + len(clean) > MAX_INVITES:
        raise Refused("too_many_invites", _("An event has at most %(max_invites)s invited addresses.") % {
            "max_invites": format(MAX_INVITES, ',')}, status=400)
    before = event.attendee_invites.count()
    AttendeeInvite.objects.bulk_create([AttendeeInvite(event=event, email=e) for e in clean], ignore_conflicts=True)
    return event.attendee_invites.count() - before
