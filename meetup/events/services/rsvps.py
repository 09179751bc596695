"""Events, their capacity and RSVPs: create and change events, RSVP, cancel, promote.

Invariants kept here (with capacity.py, which owns the seat counters):
- going RSVPs never exceed capacity, under any concurrency, on PostgreSQL and SQLite;
- the waitlist is first come, first served, and a freed seat or a capacity increase promotes in
  arrival order in the same transaction that freed it (promoted people are owed a ticket email,
  see notifications.py).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record
from meetup.events import capacity as seats
from meetup.events.models import RSVP, Event, Offer, Venue
from meetup.events.services.approvals import is_invited, request_again, request_place
from meetup.events.services.questions import answers_check, answers_store, answers_update
from meetup.lib.errors import Refused
from meetup.lib.slugs import unique_slug

EDITABLE_FIELDS = {
    "title", "slug", "description", "starts_at", "ends_at", "timezone", "venue", "status", "rsvp_opens_at",
    "rsvp_closes_at", "code_of_conduct_url", "step_free_access", "hearing_loop", "captions", "quiet_room",
    "accessibility_notes", "requires_approval", "show_attendees", "waitlist_mode", "offer_hours",
    "reconfirm_days_before", "reminder_hours", "translations",
}


# Changing any of these moves the event in people's calendars (see tickets.py).
SCHEDULE_FIELDS = ("starts_at", "ends_at", "timezone", "venue")


def _unique_slug(title: str) -> str:
    return unique_slug(Event, title, fallback="event", max_length=100)


def _validated(event: Event) -> None:
    errors: dict[str, list[str]] = {}
    try:
        # Constraints are checked below with messages a person can act on.
        event.full_clean(exclude=["organisers"], validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors.setdefault("ends_at", []).append(_("The event must end after it starts."))
    if event.rsvp_opens_at and event.rsvp_closes_at and event.rsvp_closes_at <= event.rsvp_opens_at:
        errors.setdefault("rsvp_closes_at", []).append(_("RSVPs must close after they open."))
    if errors:
        raise ValidationError(errors)


def event_create(
    *,
    organiser,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    timezone: str,
    capacity: int,
    slug: str | None = None,
    description: str = "",
    venue: Venue | None = None,
    status: str = Event.Status.DRAFT,
    rsvp_opens_at: datetime | None = None,
    rsvp_closes_at: datetime | None = None,
    code_of_conduct_url: str = "",
    requires_approval: bool = False,
    show_attendees: bool = True,
    waitlist_mode: str = Event.WaitlistMode.AUTO,
    offer_hours: int = 24,
    reconfirm_days_before: int | None = None,
    reminder_hours: str = "24,2",
    translations: dict | None = None,
    **access,
) -> Event:
    """Create an event with its seats; the creator becomes its first organiser.

    Raises ValidationError keyed by field when anything is invalid; nothing is saved then. `access`
    takes the accessibility fields (step_free_access, hearing_loop, captions, quiet_room,
    accessibility_notes).
    """
    unknown = set(access) - {*Event.ACCESS_FEATURES, "accessibility_notes"}
    if unknown:
        raise TypeError(f"Unknown event fields: {', '.join(sorted(unknown))}")
    event = Event(**access,
        title=title, slug=slug or _unique_slug(title), description=description, starts_at=starts_at,
        ends_at=ends_at, timezone=timezone, capacity=capacity, venue=venue, status=status,
        rsvp_opens_at=rsvp_opens_at, rsvp_closes_at=rsvp_closes_at, code_of_conduct_url=code_of_conduct_url,
        requires_approval=requires_approval, show_attendees=show_attendees,
        waitlist_mode=waitlist_mode, offer_hours=offer_hours, reconfirm_days_before=reconfirm_days_before,
        reminder_hours=reminder_hours,
        translations=translations if translations is not None else {},
    )
    _validated(event)
    try:
        with transaction.atomic():
            event.save()
            event.organisers.add(organiser)
            seats.shards_create(event)
    except IntegrityError:
        raise ValidationError({"slug": [_("An event with this slug already exists.")]}) from None
    return event


def event_update(*, event: Event, capacity: int | None = None, actor=None, **changes) -> list[int]:
    """Change an event's details and, through capacity_change, its capacity.

    Returns the ids of RSVPs promoted from the waitlist by a capacity increase.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    moved = any(name in changes and changes[name] != getattr(event, name) for name in SCHEDULE_FIELDS)
    for name, value in changes.items():
        setattr(event, name, value)
    if changes:
        _validated(event)
    promoted = []
    try:
        with transaction.atomic():
            if changes:
                event.save(update_fields=[*changes, "updated_at"])
            if moved:  # calendar apps replace their copy only when SEQUENCE goes up
                Event.objects.filter(pk=event.pk).update(ical_sequence=F("ical_sequence") + 1)
                event.refresh_from_db(fields=["ical_sequence"])
            if "venue" in changes:
                audit_record(actor=actor, action=AuditEntry.Action.VENUE_MOVE, event=event,
                             summary=f"Venue set to {event.venue.name if event.venue else 'none'}")
            if capacity is not None:
                promoted = capacity_change(event=event, capacity=capacity, actor=actor)
    except IntegrityError:
        raise ValidationError({"slug": [_("An event with this slug already exists.")]}) from None
    return promoted


def capacity_change(*, event: Event, capacity: int, actor=None) -> list[int]:
    """Set the capacity. Raising it promotes the waitlist in arrival order, in this transaction;
    lowering it never removes anyone who is going, it only stops new RSVPs from getting a seat.

    Returns the ids of promoted RSVPs; each is owed a ticket email from then on (notifications.py).
    """
    if capacity < 0:
        raise ValidationError({"capacity": [_("Capacity cannot be negative.")]})
    with transaction.atomic():
        with seats.Settlement(event) as settlement:
            before = settlement.event.capacity
            settlement.set_capacity(capacity)
        if before != capacity:  # the waitlist is settled when the settlement closes
            audit_record(actor=actor, action=AuditEntry.Action.CAPACITY, event=event,
                         summary=f"Capacity {before:,} → {capacity:,}; {len(settlement.promoted):,} promoted",
                         before=before, after=capacity, promoted=len(settlement.promoted))
    return settlement.promoted


def _check_open(event: Event, now: datetime) -> None:
    if event.status == Event.Status.CANCELLED:
        raise Refused("event_cancelled", _("This event was cancelled."))
    if event.status != Event.Status.PUBLISHED:
        raise Refused("event_not_published", _("This event is not open for RSVPs yet."))
    if event.rsvp_opens_at and now < event.rsvp_opens_at:
        raise Refused("rsvp_not_open", _("RSVPs open at %(value)s.") % {
            "value": format(event.rsvp_opens_at.astimezone(event.tz), '%Y-%m-%d %H:%M %Z')})
    if now >= event.rsvp_deadline:
        raise Refused("rsvp_closed", _("RSVPs for this event are closed."))


def rsvp_create(*, event: Event, user, accept_code_of_conduct: bool, answers=None, source: str = "",
                invite: str = "", visibility: str = "") -> tuple[RSVP, bool]:
    """RSVP `user` to `event`: going while seats last, then waitlisted in arrival order; on an
    event that `requires_approval`, "requested" (no seat) unless the user was invited.

    Repeating it returns the existing RSVP unchanged (created is False). A cancelled RSVP comes
    back as a new arrival. Raises Refused when the event is not open or the code of conduct was
    not accepted, ValidationError (keyed `answers.<id>`) when the answers do not fit the
    questions. Never exceeds capacity, however many requests race (see capacity.py).
    """
    try:
        _check_open(event, timezone.now())
        if not accept_code_of_conduct:
            raise Refused("code_of_conduct_required", _("Please accept the code of conduct to RSVP."), status=400)
    except Refused:
        existing = RSVP.objects.filter(event=event, user=user).exclude(status=RSVP.Status.CANCELLED).first()
        if existing:
            return existing, False
        raise

    cleaned = answers_check(event=event, answers=answers) if answers or event.asks_questions else {}
    requested = event.requires_approval and not is_invited(event=event, user=user, invite=invite)
    # The surge is first RSVPs: try the insert straight away, look for an earlier RSVP only if it clashes.
    rsvp = request_place(event=event, user=user) if requested else seats.place_new(event=event, user=user)
    if rsvp is None:
        rsvp = RSVP.objects.get(event=event, user=user)
        if rsvp.status != RSVP.Status.CANCELLED:
            return rsvp, False
        came_back = request_again(rsvp=rsvp) if requested else seats.place_again(rsvp=rsvp) is not None
        rsvp.refresh_from_db()
        if not came_back:  # a concurrent request brought it back first
            return rsvp, False
    _registration_details_save(rsvp, cleaned, source=source, visibility=visibility)
    return rsvp, True


def _registration_details_save(rsvp: RSVP, cleaned: dict, *, source: str, visibility: str) -> None:
    """What a new RSVP brings besides its seat: answers, where it came from, who may see it."""
    if cleaned:
        answers_store(rsvp=rsvp, cleaned=cleaned)
    fields = {}
    if source:
        fields["source"] = rsvp.source = source
    if visibility and visibility in RSVP.Visibility.values:
        fields["visibility"] = rsvp.visibility = visibility
    if fields:
        RSVP.objects.filter(pk=rsvp.pk).update(**fields)


def rsvp_details_update(*, rsvp: RSVP, answers=None, visibility: str | None = None) -> RSVP:
    """An attendee changes their answers (until the event starts) or who may see them listed."""
    with transaction.atomic():
        if answers is not None:
            answers_update(rsvp=rsvp, answers=answers)
        if visibility is not None:
            if visibility not in RSVP.Visibility.values:
                raise ValidationError({"visibility": [_("One of: %(value)s.") % {
                    "value": ', '.join(RSVP.Visibility.values)}]})
            RSVP.objects.filter(pk=rsvp.pk).update(visibility=visibility)
    rsvp.refresh_from_db()
    return rsvp


def rsvp_cancel(*, event: Event, user) -> RSVP:
    """Cancel a user's RSVP; a freed seat goes to the head of the waitlist in the same transaction."""
    rsvp = RSVP.objects.filter(event=event, user=user).first()
    if rsvp is None:
        raise Refused("not_found", _("You have no RSVP for this event."), status=404)
    if rsvp.status == RSVP.Status.CANCELLED:
        return rsvp
    with seats.Settlement(event) as settlement:
        # An open offer is closed first (offer row, then RSVP row: the order claims lock in).
        _offer_close(rsvp)
        was = RSVP.objects.select_for_update().values_list("status", flat=True).get(pk=rsvp.pk)
        if was != RSVP.Status.CANCELLED:
            RSVP.objects.filter(pk=rsvp.pk).update(status=RSVP.Status.CANCELLED, cancelled_at=timezone.now())
            if was in seats.SEAT_HOLDERS:
                settlement.release_seat()
    rsvp.refresh_from_db()
    return rsvp


def _offer_close(rsvp: RSVP) -> int:
    return Offer.objects.filter(rsvp_id=rsvp.pk, status=Offer.Status.OPEN).update(
        status=Offer.Status.DECLINED, decided_at=timezone.now())


def rsvp_promote(*, rsvp: RSVP, actor=None) -> list[int]:
    """An organiser lets one waitlisted person in, ahead of the queue. When the event is full this
    adds a seat (capacity + 1), so capacity is still never exceeded."""
    with seats.Settlement(rsvp.event) as settlement:
        updated = RSVP.objects.filter(pk=rsvp.pk, status=RSVP.Status.WAITLISTED).update(
            status=RSVP.Status.GOING, promoted_at=timezone.now())
        if not updated:
            raise Refused("not_waitlisted", _("This person is not on the waitlist."))
        if not settlement.free:
            settlement.set_capacity(settlement.event.capacity + 1)
        settlement.add_going()
        audit_record(actor=actor, action=AuditEntry.Action.PROMOTION, event=rsvp.event, rsvp=rsvp.pk,
                     summary=f"Promoted {rsvp.user.public_name} from the waitlist")
    return [rsvp.pk, *settlement.promoted]


