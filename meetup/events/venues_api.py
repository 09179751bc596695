from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr

from meetup.accounts.roles import is_organiser
from meetup.events import selectors, services
from meetup.events.models import Booking, Event, Venue
from meetup.events.roles import can_manage_event
from meetup.lib.bounds import INT_MAX, BoundedDatetime, Id

router = Router(tags=["venues"])


class VenueDetail(Schema):
    slug: str
    name: str
    address: str
    timezone: str
    capacity_standing: int
    capacity_seated: int | None
    accessibility: str
    facilities: str


class VenueIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: StrictStr = Field(..., min_length=1, max_length=120)
    slug: StrictStr = Field("", max_length=120)
    address: StrictStr = Field(..., min_length=1)
    timezone: StrictStr = "UTC"
    capacity_standing: StrictInt = Field(..., ge=1, le=1_000_000)
    capacity_seated: StrictInt | None = Field(None, ge=0, le=1_000_000)
    accessibility: StrictStr = ""
    facilities: StrictStr = ""
    contact: StrictStr = ""
    cost_note: StrictStr = ""


class Availability(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_at: BoundedDatetime | None = None
    ends_at: BoundedDatetime | None = None
    min_capacity: int = Field(0, ge=0, le=INT_MAX)


class BookingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_at: BoundedDatetime
    ends_at: BoundedDatetime
    confirmed: StrictBool = False
    event: StrictStr | None = Field(None, description="the slug of an event you organise")
    hold_minutes: StrictInt = Field(services.HOLD_MINUTES, ge=5, le=60 * 24 * 14)
    note: StrictStr = Field("", max_length=200)


class BookingOut(Schema):
    id: int
    venue: str
    event: str | None
    starts_at: datetime
    ends_at: datetime
    status: str
    hold_expires_at: datetime | None

    @staticmethod
    def resolve_venue(booking):
        return booking.venue.slug

    @staticmethod
    def resolve_event(booking):
        return booking.event.slug if booking.event else None


def _organiser(request):
    if not is_organiser(request.user):
        raise PermissionDenied(_("Only organisers manage venues."))


@router.get("/venues", response=list[VenueDetail], summary="Venues, or those free for a time range (organisers)")
def venue_list(request, query: Query[Availability]):
    _organiser(request)  # the same rule as the venue pages
    if (query.starts_at is None) != (query.ends_at is None):
        raise ValidationError({"ends_at": [_("Give both starts_at and ends_at, or neither.")]})
    if query.starts_at:
        if query.ends_at <= query.starts_at:
            raise ValidationError({"ends_at": [_("The range must end after it starts.")]})
        return selectors.venues_available(starts_at=query.starts_at, ends_at=query.ends_at,
                                          min_capacity=query.min_capacity)
    return Venue.objects.filter(capacity_standing__gte=query.min_capacity).order_by("capacity_standing", "name")


@router.post("/venues", response={201: VenueDetail}, summary="Add a venue (organisers)")
def venue_create(request, payload: VenueIn):
    _organiser(request)
    return 201, services.venue_create(**payload.model_dump())


@router.post("/venues/{slug}/bookings", response={201: BookingOut}, summary="Hold or confirm a venue (organisers)")
def booking_create(request, slug: str, payload: BookingIn):
    _organiser(request)
    venue = get_object_or_404(Venue, slug=slug)
    event = None
    if payload.event:
        event = Event.objects.filter(slug=payload.event).first()
        if event is None or not can_manage_event(request.user, event):
            raise ValidationError({"event": [_("No event of yours has this slug.")]})
    booking = services.booking_create(
        venue=venue, starts_at=payload.starts_at, ends_at=payload.ends_at, confirmed=payload.confirmed,
        event=event, hold_minutes=payload.hold_minutes, note=payload.note, created_by=request.user)
    return 201, booking


def _own_booking(request, booking_id: Id) -> Booking:
    _organiser(request)
    booking = get_object_or_404(Booking.objects.select_related("venue", "event"), pk=booking_id)
    if not (request.user.is_staff or booking.created_by_id == request.user.pk
            or (booking.event and can_manage_event(request.user, booking.event))):
        raise PermissionDenied(_("This booking is not yours."))
    return booking


@router.post("/bookings/{booking_id}/confirm", response=BookingOut, summary="Confirm a hold")
def booking_confirm(request, booking_id: Id):
    return services.booking_confirm(booking=_own_booking(request, booking_id), actor=request.user)


@router.post("/bookings/{booking_id}/release", response=BookingOut, summary="Release a hold or booking")
def booking_release(request, booking_id: Id):
    return services.booking_release(booking=_own_booking(request, booking_id), actor=request.user)
