from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from meetup.accounts.models import User
from meetup.audit.models import AuditEntry
from meetup.audit.services import actor_name, audit_record
from meetup.broadcasts.services import venue_change_send
from meetup.events import capacity as seats
from meetup.events import selectors
from meetup.events.models import RSVP, Booking, Event, Venue
from meetup.lib import emails
from meetup.lib.errors import Refused
from meetup.lib.slugs import unique_slug

EDITABLE_FIELDS = {
    "title", "slug", "description", "starts_at", "ends_at", "timezone", "venue", "status", "rsvp_opens_at",
    "rsvp_closes_at", "code_of_conduct_url",
}


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
        errors.setdefault("ends_at", []).append("The event must end after it starts.")
    if event.rsvp_opens_at and event.rsvp_closes_at and event.rsvp_closes_at <= event.rsvp_opens_at:
        errors.setdefault("rsvp_closes_at", []).append("RSVPs must close after they open.")
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
) -> Event:
    """Create an event with its seats; the creator becomes its first organiser.

    Raises ValidationError keyed by field when anything is invalid; nothing is saved then.
    """
    event = Event(
        title=title, slug=slug or _unique_slug(title), description=description, starts_at=starts_at,
        ends_at=ends_at, timezone=timezone, capacity=capacity, venue=venue, status=status,
        rsvp_opens_at=rsvp_opens_at, rsvp_closes_at=rsvp_closes_at, code_of_conduct_url=code_of_conduct_url,
    )
    _validated(event)
    try:
        with transaction.atomic():
            event.save()
            event.organisers.add(organiser)
            seats.shards_create(event)
    except IntegrityError:
        raise ValidationError({"slug": ["An event with this slug already exists."]}) from None
    return event


def event_update(*, event: Event, capacity: int | None = None, actor=None, **changes) -> list[int]:
    """Change an event's details and, through capacity_change, its capacity.

    Returns the ids of RSVPs promoted from the waitlist by a capacity increase.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    for name, value in changes.items():
        setattr(event, name, value)
    if changes:
        _validated(event)
    promoted = []
    try:
        with transaction.atomic():
            if changes:
                event.save(update_fields=[*changes, "updated_at"])
            if "venue" in changes:
                audit_record(actor=actor, action=AuditEntry.Action.VENUE_MOVE, event=event,
                             summary=f"Venue set to {event.venue.name if event.venue else 'none'}")
            if capacity is not None:
                promoted = capacity_change(event=event, capacity=capacity, actor=actor)
    except IntegrityError:
        raise ValidationError({"slug": ["An event with this slug already exists."]}) from None
    return promoted


def capacity_change(*, event: Event, capacity: int, actor=None) -> list[int]:
    """Set the capacity. Raising it promotes the waitlist in arrival order, in this transaction;
    lowering it never removes anyone who is going, it only stops new RSVPs from getting a seat.

    Returns the ids of promoted RSVPs; each is owed a ticket email from then on (notifications.py).
    """
    if capacity < 0:
        raise ValidationError({"capacity": ["Capacity cannot be negative."]})
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
        raise Refused("event_cancelled", "This event was cancelled.")
    if event.status != Event.Status.PUBLISHED:
        raise Refused("event_not_published", "This event is not open for RSVPs yet.")
    if event.rsvp_opens_at and now < event.rsvp_opens_at:
        raise Refused("rsvp_not_open", f"RSVPs open at {event.rsvp_opens_at.astimezone(event.tz):%Y-%m-%d %H:%M %Z}.")
    if now >= event.rsvp_deadline:
        raise Refused("rsvp_closed", "RSVPs for this event are closed.")


def rsvp_create(*, event: Event, user, accept_code_of_conduct: bool) -> tuple[RSVP, bool]:
    """RSVP `user` to `event`: going while seats last, then waitlisted in arrival order.

    Repeating it returns the existing RSVP unchanged (created is False). A cancelled RSVP comes
    back as a new arrival. Raises Refused when the event is not open or the code of conduct was
    not accepted. Never exceeds capacity, however many requests race (see capacity.py).
    """
    try:
        _check_open(event, timezone.now())
        if not accept_code_of_conduct:
            raise Refused("code_of_conduct_required", "Please accept the code of conduct to RSVP.", status=400)
    except Refused:
        existing = RSVP.objects.filter(event=event, user=user).exclude(status=RSVP.Status.CANCELLED).first()
        if existing:
            return existing, False
        raise

    # The surge is first RSVPs: try the insert straight away, look for an earlier RSVP only if it clashes.
    rsvp = seats.place_new(event=event, user=user)
    if rsvp is None:
        rsvp = RSVP.objects.get(event=event, user=user)
        if rsvp.status != RSVP.Status.CANCELLED:
            return rsvp, False
        came_back = seats.place_again(rsvp=rsvp) is not None
        rsvp.refresh_from_db()
        if not came_back:  # a concurrent request brought it back first
            return rsvp, False
    return rsvp, True


def rsvp_cancel(*, event: Event, user) -> RSVP:
    """Cancel a user's RSVP; a freed seat goes to the head of the waitlist in the same transaction."""
    rsvp = RSVP.objects.filter(event=event, user=user).first()
    if rsvp is None:
        raise Refused("not_found", "You have no RSVP for this event.", status=404)
    if rsvp.status == RSVP.Status.CANCELLED:
        return rsvp
    with seats.Settlement(event) as settlement:
        was = RSVP.objects.select_for_update().values_list("status", flat=True).get(pk=rsvp.pk)
        if was != RSVP.Status.CANCELLED:
            RSVP.objects.filter(pk=rsvp.pk).update(status=RSVP.Status.CANCELLED, cancelled_at=timezone.now())
            if was == RSVP.Status.GOING:
                settlement.release_seat()
    rsvp.refresh_from_db()
    return rsvp


def rsvp_promote(*, rsvp: RSVP, actor=None) -> list[int]:
    """An organiser lets one waitlisted person in, ahead of the queue. When the event is full this
    adds a seat (capacity + 1), so capacity is still never exceeded."""
    with seats.Settlement(rsvp.event) as settlement:
        updated = RSVP.objects.filter(pk=rsvp.pk, status=RSVP.Status.WAITLISTED).update(
            status=RSVP.Status.GOING, promoted_at=timezone.now())
        if not updated:
            raise Refused("not_waitlisted", "This person is not on the waitlist.")
        if not settlement.free:
            settlement.set_capacity(settlement.event.capacity + 1)
        settlement.add_going()
        audit_record(actor=actor, action=AuditEntry.Action.PROMOTION, event=rsvp.event, rsvp=rsvp.pk,
                     summary=f"Promoted {rsvp.user.public_name} from the waitlist")
    return [rsvp.pk, *settlement.promoted]


@dataclass
class CheckinResult:
    outcome: str  # checked_in | already_checked_in | not_found | not_going
    rsvp: RSVP | None = None


_CHECKIN_SQL = """
WITH hit AS (
    UPDATE events_rsvp SET checked_in_at = clock_timestamp()
    WHERE event_id = %(event)s AND ticket_code = %(code)s AND status = 'going' AND checked_in_at IS NULL
    RETURNING id, checked_in_at, user_id
), logged AS (
    INSERT INTO audit_auditentry (created_at, actor_id, actor_name, action, event_id, summary, detail)
    SELECT hit.checked_in_at, %(actor)s, %(actor_name)s, 'checkin', %(event)s,
           'Checked in ' || COALESCE(NULLIF(u.display_name, ''), NULLIF(u.first_name, ''), u.username),
           jsonb_build_object('rsvp', hit.id)
    FROM hit JOIN accounts_user u ON u.id = hit.user_id
)
SELECT (hit.id IS NOT NULL), r.id, r.status, COALESCE(hit.checked_in_at, r.checked_in_at),
       u.id, u.username, u.display_name, u.first_name
FROM events_rsvp r JOIN accounts_user u ON u.id = r.user_id LEFT JOIN hit ON hit.id = r.id
WHERE r.event_id = %(event)s AND r.ticket_code = %(code)s
"""


def checkin(*, event: Event, code: str, actor=None) -> CheckinResult:
    """Check a ticket in. A code works once; scanning it again says when it was used.

    On PostgreSQL the door's hot path is one statement: the conditional update, the audit entry
    and the look-up of who it was, so two devices scanning one ticket at once admit it once.
    """
    code = (code or "").strip()
    if not code:
        return CheckinResult("not_found")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CHECKIN_SQL, {"event": event.pk, "code": code, "actor": getattr(actor, "pk", None),
                                          "actor_name": actor_name(actor)})
            row = cursor.fetchone()
        if row is None:
            return CheckinResult("not_found")
        admitted, rsvp_id, status, checked_in_at, user_id, username, display_name, first_name = row
        user = User(pk=user_id, username=username, display_name=display_name, first_name=first_name)
        rsvp = RSVP(pk=rsvp_id, event=event, user=user, status=status, checked_in_at=checked_in_at,
                    ticket_code=code)
        if admitted:
            return CheckinResult("checked_in", rsvp)
    else:
        with transaction.atomic():
            if RSVP.objects.filter(event=event, ticket_code=code, status=RSVP.Status.GOING,
                                   checked_in_at__isnull=True).update(checked_in_at=timezone.now()):
                rsvp = _ticket(event, code)
                audit_record(actor=actor, action=AuditEntry.Action.CHECKIN, event=event, rsvp=rsvp.pk,
                             summary=f"Checked in {rsvp.user.public_name}")
                return CheckinResult("checked_in", rsvp)
        rsvp = _ticket(event, code)
        if rsvp is None:
            return CheckinResult("not_found")
    if rsvp.status != RSVP.Status.GOING:
        return CheckinResult("not_going", rsvp)
    return CheckinResult("already_checked_in", rsvp)


def _ticket(event: Event, code: str) -> RSVP | None:
    return RSVP.objects.select_related("user").filter(event=event, ticket_code=code).first()


# --- Venues and bookings --------------------------------------------------------------------------
HOLD_MINUTES = 48 * 60
# Advisory locks taken with two keys live apart from the one-key locks seats use (capacity.py).
VENUE_LOCK_SPACE = 1
_ACTIVE = list(Booking.ACTIVE)


def venue_create(**fields) -> Venue:
    """Add a venue to the catalogue. Raises ValidationError keyed by field."""
    venue = Venue(**fields)
    if not venue.slug:
        venue.slug = slugify(venue.name)[:120] or "venue"
    venue.full_clean()
    venue.save()
    return venue


def holds_expire(*, venue: Venue | None = None) -> int:
    """Turn holds whose time ran out into `expired`, freeing their venues; returns how many."""
    stale = Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lte=timezone.now())
    if venue is not None:
        stale = stale.filter(venue=venue)
    return stale.update(status=Booking.Status.EXPIRED)


def booking_create(
    *, venue: Venue, starts_at: datetime, ends_at: datetime, confirmed: bool = False, event: Event | None = None,
    hold_minutes: int = HOLD_MINUTES, note: str = "", created_by=None,
) -> Booking:
    """Hold (until `hold_minutes` from now) or confirm a venue for a time range.

    Raises Refused("venue_taken") when an active booking of the venue overlaps; back-to-back
    bookings (one ends when the next starts) are fine. PostgreSQL's exclusion constraint decides
    races; on SQLite the IMMEDIATE transaction makes the check and the insert one step.
    """
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": ["A booking must end after it starts."]})
    booking = Booking(
        venue=venue, event=event, starts_at=starts_at, ends_at=ends_at, note=note, created_by=created_by,
        status=Booking.Status.CONFIRMED if confirmed else Booking.Status.HELD,
        hold_expires_at=None if confirmed else timezone.now() + timedelta(minutes=hold_minutes),
    )
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # One booking of a venue at a time: concurrent overlapping inserts would otherwise
                # wait on each other inside the exclusion constraint and can deadlock. The
                # constraint still decides who wins.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [VENUE_LOCK_SPACE, venue.pk])
            holds_expire(venue=venue)
            if connection.vendor != "postgresql" and _overlapping(booking).exists():
                raise IntegrityError("booking_no_overlap")
            booking.save()
    except IntegrityError as exc:
        if "booking_no_overlap" not in str(exc):
            raise
        raise Refused("venue_taken", f"{venue.name} is already booked at that time.") from None
    return booking


def _overlapping(booking: Booking):
    return Booking.objects.filter(venue=booking.venue, status__in=_ACTIVE, starts_at__lt=booking.ends_at,
                                  ends_at__gt=booking.starts_at).exclude(pk=booking.pk)


def booking_confirm(*, booking: Booking, actor=None) -> Booking:
    """Confirm a hold that has not expired."""
    with transaction.atomic():
        updated = Booking.objects.filter(
            Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=timezone.now()),
            pk=booking.pk, status=Booking.Status.HELD,
        ).update(status=Booking.Status.CONFIRMED, hold_expires_at=None)
        booking.refresh_from_db()
        if not updated and booking.status != Booking.Status.CONFIRMED:
            raise Refused("hold_expired" if booking.status in (Booking.Status.HELD, Booking.Status.EXPIRED)
                          else "booking_released", "This hold is no longer active; book the venue again.")
        if updated:
            audit_record(actor=actor, action=AuditEntry.Action.BOOKING, event=booking.event, booking=booking.pk,
                         summary=f"Confirmed {booking.venue.name} for {booking.starts_at:%Y-%m-%d %H:%M}")
    return booking


def booking_release(*, booking: Booking, actor=None) -> Booking:
    with transaction.atomic():
        if Booking.objects.filter(pk=booking.pk, status__in=_ACTIVE).update(status=Booking.Status.RELEASED):
            audit_record(actor=actor, action=AuditEntry.Action.BOOKING, event=booking.event, booking=booking.pk,
                         summary=f"Released {booking.venue.name} for {booking.starts_at:%Y-%m-%d %H:%M}")
    booking.refresh_from_db()
    return booking


# --- Forecast alerts ------------------------------------------------------------------------------
ALERT_THRESHOLDS = (80, 100)


def forecast_alerts_check(*, event: Event) -> list[int]:
    """Alert the organisers once per threshold the forecast turnout has passed; returns the new
    thresholds. The unique (event, threshold) row is what makes it once."""
    from meetup.events.models import ForecastAlert

    target = selectors.event_capacity_target(event)
    result = selectors.event_forecast(event)
    fired = []
    for threshold in ALERT_THRESHOLDS:
        if result.turnout * 100 < threshold * target:
            continue
        _, created = ForecastAlert.objects.get_or_create(
            event=event, threshold=threshold, defaults={"turnout": result.turnout, "capacity": target})
        if created:
            fired.append(threshold)
    if fired:
        venues = list(selectors.venues_available(starts_at=event.starts_at, ends_at=event.ends_at,
                                                 min_capacity=result.turnout_high)[:5])
        for organiser in event.organisers.exclude(email=""):
            emails.send("forecast-alert", to=organiser.email, context={
                "event": event, "forecast": result, "threshold": max(fired), "capacity": target, "venues": venues,
                "organiser": organiser})
    return fired


def venue_move(*, event: Event, venue: Venue, capacity: int | None = None, created_by=None) -> list[int]:
    """Move an event to another venue in one step, all or nothing: confirm the new venue for the
    event's booked time (or its own times), release the old booking, set the capacity to the new
    venue's standing capacity (or `capacity`), and promote the waitlist in order. Ticket codes do
    not change. Everyone going, those just promoted included, gets one venue-change message
    through the broadcast outbox (a text where they agreed to texts, otherwise an email). Returns
    the promoted RSVP ids (each is also owed a ticket email).

    Raises Refused("venue_taken") when the new venue is not free; nothing changes then.
    """
    if venue.pk == event.venue_id:
        raise Refused("same_venue", "The event is already at this venue.")
    current = Booking.objects.filter(event=event, status__in=_ACTIVE).order_by("starts_at").first()
    starts_at, ends_at = (current.starts_at, current.ends_at) if current else (event.starts_at, event.ends_at)
    with transaction.atomic():
        booking = booking_create(venue=venue, starts_at=starts_at, ends_at=ends_at, confirmed=True, event=event,
                                 note=f"Moved from {event.venue.name}" if event.venue else "", created_by=created_by)
        Booking.objects.filter(event=event, status__in=_ACTIVE).exclude(pk=booking.pk).update(
            status=Booking.Status.RELEASED)
        old_venue_name = event.venue.name if event.venue else ""
        Event.objects.filter(pk=event.pk).update(venue=venue, updated_at=timezone.now())
        event.venue = venue
        audit_record(actor=created_by, action=AuditEntry.Action.VENUE_MOVE, event=event, venue=venue.pk,
                     summary=f"Moved from {old_venue_name or 'no venue'} to {venue.name}")
        promoted = capacity_change(event=event, capacity=venue.capacity_standing if capacity is None else capacity,
                                   actor=created_by)
        venue_change_send(event=event, old_venue_name=old_venue_name, created_by=created_by)
        return promoted
