from datetime import timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetup.events.models import RSVP, Booking, CapacityShard, Event, Venue
from meetup.events.roles import can_manage_event


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Going (the sum of the seat shards, O(1) in RSVPs) and waitlist counts, in the same query."""
    going = (
        CapacityShard.objects.filter(event=OuterRef("pk")).values("event")
        .annotate(n=Sum("taken")).values("n")
    )
    waiting = (
        RSVP.objects.filter(event=OuterRef("pk"), status=RSVP.Status.WAITLISTED).values("event")
        .annotate(n=Count("id")).values("n")
    )
    return events.annotate(
        going_count=Coalesce(Subquery(going, output_field=IntegerField()), 0),
        waitlist_count=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
    )


def event_list_upcoming() -> QuerySet[Event]:
    """Published events that have not ended, with their counts (one query)."""
    return _with_counts(
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now()).select_related("venue")
    )


def event_list_for(user) -> QuerySet[Event]:
    """What the API lists: published and cancelled events, plus drafts the caller organises."""
    events = Event.objects.select_related("venue")
    if not (user.is_authenticated and user.is_staff):
        visible = Q(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        if user.is_authenticated:
            visible |= Q(pk__in=user.organised_events.values("pk"))
        events = events.filter(visible)
    return _with_counts(events)


def event_visible_to(user, slug: str, *, counts: bool = True, caller: bool = True) -> Event | None:
    """The event with `slug` if `user` may see it: drafts only for their organisers and staff.

    In the same query, unless turned off for a hot path: the going and waitlist counts, and
    whether the caller organises the event (`caller_organises`, read by roles.can_manage_event).
    """
    events = Event.objects.filter(slug=slug)
    if counts:  # pages and reads show the venue; the hot paths do not need it
        events = events.select_related("venue")
    if caller and user.is_authenticated:
        events = events.annotate(caller_organises=Exists(
            Event.organisers.through.objects.filter(event=OuterRef("pk"), user=user.pk)))
    try:
        event = (_with_counts(events) if counts else events).get()
    except Event.DoesNotExist:
        return None
    if event.status == Event.Status.DRAFT and not can_manage_event(user, event):
        return None
    return event


def rsvp_for(user, event: Event) -> RSVP | None:
    if not user.is_authenticated:
        return None
    return RSVP.objects.filter(event=event, user=user).first()


def waitlist_position(rsvp: RSVP) -> int | None:
    """1 for the head of the waitlist; None when not waitlisted."""
    if rsvp.status != RSVP.Status.WAITLISTED:
        return None
    waiting = RSVP.objects.filter(event_id=rsvp.event_id, status=RSVP.Status.WAITLISTED)
    if rsvp.waitlist_seq is not None:
        # Places follow commit order (capacity.waitlist_place): everyone ahead has committed.
        return waiting.filter(Q(waitlist_seq__lt=rsvp.waitlist_seq)
                              | Q(waitlist_seq__isnull=True, created_at__lt=rsvp.created_at)).count() + 1
    ahead = waiting.filter(
        Q(created_at__lt=rsvp.created_at) | Q(created_at=rsvp.created_at, id__lt=rsvp.id)
    )
    return ahead.count() + 1


def waitlist_head(event: Event, n: int) -> QuerySet[RSVP]:
    """Who a capacity increase of n seats would promote, in order."""
    return (
        RSVP.objects.filter(event=event, status=RSVP.Status.WAITLISTED).select_related("user")
        .order_by("created_at", "id")[: max(0, n)]
    )


def rsvp_list(event: Event, *, status: str = "", search: str = "", checked_in: str = "") -> QuerySet[RSVP]:
    """RSVPs for the organiser list, export and door search, in arrival order."""
    rsvps = RSVP.objects.filter(event=event).select_related("user").order_by("created_at", "id")
    if status:
        rsvps = rsvps.filter(status=status)
    if checked_in == "yes":
        rsvps = rsvps.filter(checked_in_at__isnull=False)
    elif checked_in == "no":
        rsvps = rsvps.filter(checked_in_at__isnull=True)
    if search:
        rsvps = rsvps.filter(
            Q(user__display_name__icontains=search) | Q(user__username__icontains=search)
            | Q(user__email__icontains=search) | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
        )
    return rsvps


def venue_bookings(venue, user) -> list:
    """A venue's active bookings from now on, for its page; each has `shown_event`: its event when
    that is published or the caller runs it, else None (a draft's title never leaks)."""
    bookings = list(venue.bookings.filter(ends_at__gte=timezone.now(), status__in=Booking.ACTIVE)
                    .select_related("event").order_by("starts_at"))
    mine = set(Event.objects.filter(organisers=user).values_list("pk", flat=True)) if user.is_authenticated else set()
    for booking in bookings:
        event = booking.event
        visible = event is not None and (event.status != Event.Status.DRAFT or event.pk in mine or user.is_staff)
        booking.shown_event = event if visible else None
    return bookings


def door_search(event: Event, query: str) -> QuerySet[RSVP]:
    """People going to `event` found at the door by name or ticket code, never by email or phone:
    door staff must not be able to confirm an address by typing part of it."""
    return RSVP.objects.filter(event=event, status=RSVP.Status.GOING).select_related("user").filter(
        Q(user__display_name__icontains=query) | Q(user__first_name__icontains=query)
        | Q(user__last_name__icontains=query) | Q(ticket_code__istartswith=query)
    ).order_by("created_at", "id")


def checkin_counts(event: Event) -> dict:
    return RSVP.objects.filter(event=event, status=RSVP.Status.GOING).aggregate(
        going=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False))
    )


def tickets_for(user) -> QuerySet[RSVP]:
    """A user's RSVPs to events that have not ended, soonest first."""
    return (
        RSVP.objects.filter(user=user, event__ends_at__gte=timezone.now())
        .exclude(status=RSVP.Status.CANCELLED)
        .select_related("event", "event__venue").order_by("event__starts_at")
    )


def venues_available(*, starts_at, ends_at, min_capacity: int = 0) -> QuerySet[Venue]:
    """Venues with no active booking overlapping the range and room for `min_capacity` standing,
    smallest fitting first (best fit). Holds past their expiry do not count."""
    now = timezone.now()
    clashing = Booking.objects.filter(
        venue=OuterRef("pk"), starts_at__lt=ends_at, ends_at__gt=starts_at,
    ).filter(Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.HELD, hold_expires_at__gt=now))
    return (
        Venue.objects.filter(capacity_standing__gte=min_capacity).exclude(Exists(clashing))
        .order_by("capacity_standing", "name")
    )


def event_capacity_target(event: Event) -> int:
    """The number the forecast is measured against: the venue's standing capacity when there is
    a venue (the room is the real limit), else the event's capacity."""
    return event.venue.capacity_standing if event.venue else event.capacity


def event_forecast(event: Event, *, now=None):
    from meetup.events import forecast

    now = now or timezone.now()
    arrivals = list(RSVP.objects.filter(event=event).exclude(status=RSVP.Status.CANCELLED)
                    .values_list("created_at", flat=True))
    past = (
        Event.objects.filter(organisers__in=event.organisers.all(), ends_at__lt=now).exclude(pk=event.pk).distinct()
        .annotate(going=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.GOING)),
                  came=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False)))
        .values_list("going", "came")
    )
    opens = event.rsvp_opens_at or event.created_at
    return forecast.forecast(arrivals, now=now, opens_at=opens, closes_at=event.rsvp_deadline,
                             show_up=forecast.show_up_from_history(list(past)))


def checkins_per_slot(event: Event, *, minutes: int = 10) -> list[tuple]:
    """Check-ins per `minutes` slot from the first to the last, in the event's time zone: how the
    door is flowing. One query; the door admits a few thousand at most."""
    times = sorted(RSVP.objects.filter(event=event, checked_in_at__isnull=False)
                   .values_list("checked_in_at", flat=True).iterator(chunk_size=5000))
    if not times:
        return []
    step = timedelta(minutes=minutes)
    start = times[0].replace(minute=times[0].minute - times[0].minute % minutes, second=0, microsecond=0)
    slots = [0] * (int((times[-1] - start) / step) + 1)
    for moment in times:
        slots[int((moment - start) / step)] += 1
    return [((start + i * step).astimezone(event.tz), n) for i, n in enumerate(slots)]
