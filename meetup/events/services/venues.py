"""Venues, holds and bookings, moving an event to another venue, and forecast alerts.

Invariant kept here: no venue is double-booked for overlapping times (PostgreSQL's exclusion
constraint decides races; SQLite's IMMEDIATE transaction makes check and insert one step).
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record
from meetup.events import readcache, selectors, signals
from meetup.events.models import Booking, Event, ForecastAlert, Venue
from meetup.events.services.rsvps import capacity_change
from meetup.lib.errors import Refused
from meetup.lib.slugs import unique_slug

# --- Venues and bookings --------------------------------------------------------------------------
HOLD_MINUTES = 48 * 60
# No booking blocks a venue for longer than this; a confirmed one belongs to an event.
MAX_BOOKING = timedelta(days=7)
# Advisory locks taken with two keys live apart from the one-key locks seats use (capacity.py).
VENUE_LOCK_SPACE = 1
_ACTIVE = list(Booking.ACTIVE)


def venue_create(**fields) -> Venue:
    """Add a venue to the catalogue. Raises ValidationError keyed by field."""
    venue = Venue(**fields)
    if not venue.slug:
        venue.slug = unique_slug(Venue, venue.name, fallback="venue", max_length=120)
    venue.full_clean()
    venue.save()
    return venue


def _expiry(*, confirmed: bool, event: Event | None, hold_minutes: int = HOLD_MINUTES) -> datetime | None:
    """When a booking stops blocking its venue by itself: never for a confirmed booking of an
    event, after the hold time for anything else (a booking belongs to an event or expires)."""
    if confirmed and event is not None:
        return None
    return timezone.now() + timedelta(minutes=hold_minutes)


def holds_expire(*, venue: Venue | None = None) -> int:
    """Turn holds (and bookings of no event) whose time ran out into `expired`, freeing their
    venues; returns how many."""
    stale = Booking.objects.filter(status__in=[Booking.Status.HELD, Booking.Status.CONFIRMED],
                                   hold_expires_at__lte=timezone.now())
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
        raise ValidationError({"ends_at": [_("A booking must end after it starts.")]})
    if ends_at - starts_at > MAX_BOOKING:
        raise ValidationError({"ends_at": [_("A booking lasts at most %(days)s days.") % {"days": MAX_BOOKING.days}]})
    booking = Booking(
        venue=venue, event=event, starts_at=starts_at, ends_at=ends_at, note=note, created_by=created_by,
        status=Booking.Status.CONFIRMED if confirmed else Booking.Status.HELD,
        hold_expires_at=_expiry(confirmed=confirmed, event=event, hold_minutes=hold_minutes),
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
        raise Refused("venue_taken", _("%(name)s is already booked at that time.") % {"name": venue.name}) from None
    return booking


def _overlapping(booking: Booking):
    return Booking.objects.filter(venue=booking.venue, status__in=_ACTIVE, starts_at__lt=booking.ends_at,
                                  ends_at__gt=booking.starts_at).exclude(pk=booking.pk)


def booking_confirm(*, booking: Booking, actor=None) -> Booking:
    """Confirm a hold that has not expired. Confirmed for an event, it stays; confirmed for no
    event, it still expires like a hold unless an event takes it (_expiry)."""
    with transaction.atomic():
        updated = Booking.objects.filter(
            Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=timezone.now()),
            pk=booking.pk, status=Booking.Status.HELD,
        ).update(status=Booking.Status.CONFIRMED, hold_expires_at=_expiry(confirmed=True, event=booking.event))
        booking.refresh_from_db()
        if not updated and booking.status != Booking.Status.CONFIRMED:
            raise Refused("hold_expired" if booking.status in (Booking.Status.HELD, Booking.Status.EXPIRED)
                          else "booking_released", _("This hold is no longer active; book the venue again."))
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
        raise Refused("same_venue", _("The event is already at this venue."))
    current = Booking.objects.filter(event=event, status__in=_ACTIVE).order_by("starts_at").first()
    starts_at, ends_at = (current.starts_at, current.ends_at) if current else (event.starts_at, event.ends_at)
    with transaction.atomic():
        booking = booking_create(venue=venue, starts_at=starts_at, ends_at=ends_at, confirmed=True, event=event,
                                 note=f"Moved from {event.venue.name}" if event.venue else "", created_by=created_by)
        Booking.objects.filter(event=event, status__in=_ACTIVE).exclude(pk=booking.pk).update(
            status=Booking.Status.RELEASED)
        old_venue_name = event.venue.name if event.venue else ""
        # A new SEQUENCE tells calendar apps to replace their copy (see tickets.py).
        Event.objects.filter(pk=event.pk).update(venue=venue, updated_at=timezone.now(),
                                                 ical_sequence=F("ical_sequence") + 1)
        event.venue = venue
        event.ical_sequence = Event.objects.values_list("ical_sequence", flat=True).get(pk=event.pk)
        readcache.forget_on_commit(event.slug)
        audit_record(actor=created_by, action=AuditEntry.Action.VENUE_MOVE, event=event, venue=venue.pk,
                     summary=f"Moved from {old_venue_name or 'no venue'} to {venue.name}")
        promoted = capacity_change(event=event, capacity=venue.capacity_standing if capacity is None else capacity,
                                   actor=created_by)
        # The broadcasts app answers with one venue-change message to everyone going, in this transaction.
        signals.venue_moved.send(sender=Event, event=event, old_venue_name=old_venue_name, actor=created_by)
        return promoted


# --- Forecast alerts ------------------------------------------------------------------------------
ALERT_THRESHOLDS = (80, 100)


def forecast_alerts_check(*, event: Event) -> list[int]:
    """Alert the organisers once per threshold the forecast turnout has passed; returns the new
    thresholds. The unique (event, threshold) row is what makes it once; the alert itself goes
    through the broadcast outbox (signals.forecast_alerted), in this transaction."""
    target = selectors.event_capacity_target(event)
    result = selectors.event_forecast(event)
    fired = []
    with transaction.atomic():
        for threshold in ALERT_THRESHOLDS:
            if result.turnout * 100 < threshold * target:
                continue
            _unused, created = ForecastAlert.objects.get_or_create(
                event=event, threshold=threshold, defaults={"turnout": result.turnout, "capacity": target})
            if created:
                fired.append(threshold)
        if fired:
            signals.forecast_alerted.send(sender=Event, event=event, threshold=max(fired))
    return fired
