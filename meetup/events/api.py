from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr

from meetup.accounts.auth import public
from meetup.accounts.roles import is_organiser
from meetup.events import access, exports, selectors, services
from meetup.events.models import RSVP, Event, Venue
from meetup.lib.bounds import BoundedDatetime
from meetup.lib.errors import Refused

router = Router(tags=["events"])


class VenueOut(Schema):
    slug: str
    name: str
    address: str
    timezone: str
    capacity_standing: int


class EventOut(Schema):
    slug: str
    title: str
    description: str
    status: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    capacity: int
    going_count: int
    waitlist_count: int
    rsvp_opens_at: datetime | None
    rsvp_closes_at: datetime | None
    code_of_conduct_url: str
    venue: VenueOut | None


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: StrictStr = Field(..., min_length=1, max_length=200)
    starts_at: BoundedDatetime
    ends_at: BoundedDatetime
    timezone: StrictStr
    capacity: StrictInt = Field(..., ge=0, le=1_000_000)
    slug: StrictStr | None = Field(None, max_length=120)
    description: StrictStr = ""
    venue: StrictStr | None = Field(None, description="a venue's slug")
    status: Literal["draft", "published"] = "draft"
    rsvp_opens_at: BoundedDatetime | None = None
    rsvp_closes_at: BoundedDatetime | None = None
    code_of_conduct_url: StrictStr = ""


class EventPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: StrictStr = Field(None, min_length=1, max_length=200)
    description: StrictStr = None
    starts_at: BoundedDatetime = None
    ends_at: BoundedDatetime = None
    timezone: StrictStr = None
    capacity: StrictInt = Field(None, ge=0, le=1_000_000)
    venue: StrictStr | None = Field(None, description="a venue's slug, or null to clear it")
    status: Literal["draft", "published", "cancelled"] = None
    rsvp_opens_at: BoundedDatetime | None = None
    rsvp_closes_at: BoundedDatetime | None = None
    code_of_conduct_url: StrictStr = None


class RsvpIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept_code_of_conduct: StrictBool = False


class RsvpOut(Schema):
    event: str
    status: str
    waitlist_position: int | None
    ticket_code: str | None
    created_at: datetime
    checked_in_at: datetime | None


class UserRef(Schema):
    username: str
    display_name: str


class RsvpRow(Schema):
    user: UserRef
    status: str
    waitlist_position: int | None
    created_at: datetime
    checked_in_at: datetime | None


class RsvpPage(Schema):
    count: int
    items: list[RsvpRow]


class RsvpFilter(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["going", "waitlisted", "cancelled"] | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(100, ge=1, le=500)


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    venue: StrictStr
    capacity: StrictInt | None = Field(None, ge=0, le=1_000_000, description="default: the venue's standing capacity")


class MoveOut(Schema):
    event: EventOut
    promoted: int


class CheckinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: StrictStr = Field(..., min_length=1, max_length=64)


class CheckinOut(Schema):
    status: str
    checked_in_at: datetime
    user: UserRef


def _venue(slug: str | None) -> Venue | None:
    if slug is None:
        return None
    venue = Venue.objects.filter(slug=slug).first()
    if venue is None:
        raise ValidationError({"venue": [f"No venue with slug {slug!r}."]})
    return venue


def _rsvp_out(rsvp: RSVP, event: Event) -> RsvpOut:
    going = rsvp.status == RSVP.Status.GOING
    return RsvpOut(
        event=event.slug, status=rsvp.status, waitlist_position=selectors.waitlist_position(rsvp),
        ticket_code=rsvp.ticket_code if going else None, created_at=rsvp.created_at,
        checked_in_at=rsvp.checked_in_at,
    )


@router.get("/events", response=list[EventOut], auth=public, summary="Events you can see")
def event_list(request):
    return selectors.event_list_for(request.user).order_by("starts_at")


@router.post("/events", response={201: EventOut}, summary="Create an event (organisers)")
def event_create(request, payload: EventIn):
    if not is_organiser(request.user):
        raise PermissionDenied("Only organisers can create events.")
    data = payload.model_dump()
    data["venue"] = _venue(data["venue"])
    event = services.event_create(organiser=request.user, **data)
    return 201, access.visible_event(request, event.slug)


@router.get("/events/{slug}", response=EventOut, auth=public, summary="One event")
def event_detail(request, slug: str):
    return access.visible_event(request, slug)


@router.patch("/events/{slug}", response=EventOut, summary="Change an event (its organisers)")
def event_patch(request, slug: str, payload: EventPatch):
    event = access.managed_event(request, slug, counts=False)
    changes = payload.model_dump(exclude_unset=True)
    if "venue" in changes:
        changes["venue"] = _venue(changes["venue"])
    for name in ("title", "description", "starts_at", "ends_at", "timezone", "status", "code_of_conduct_url"):
        if name in changes and changes[name] is None:
            raise ValidationError({name: ["This field cannot be null."]})
    services.event_update(event=event, actor=request.user, **changes)
    return access.visible_event(request, slug)


@router.post("/events/{slug}/rsvp", response={200: RsvpOut, 201: RsvpOut}, summary="RSVP as yourself")
def rsvp_create(request, slug: str, payload: RsvpIn | None = None):
    event = access.visible_event(request, slug, counts=False, caller=False)
    accepted = payload.accept_code_of_conduct if payload else False
    rsvp, created = services.rsvp_create(event=event, user=request.user, accept_code_of_conduct=accepted)
    return (201 if created else 200), _rsvp_out(rsvp, event)


@router.get("/events/{slug}/rsvp", response=RsvpOut, summary="Your RSVP")
def rsvp_get(request, slug: str):
    event = access.visible_event(request, slug, counts=False)
    rsvp = selectors.rsvp_for(request.user, event)
    if rsvp is None:
        raise Http404("You have no RSVP for this event.")
    return _rsvp_out(rsvp, event)


@router.delete("/events/{slug}/rsvp", response=RsvpOut, summary="Cancel your RSVP")
def rsvp_delete(request, slug: str):
    event = access.visible_event(request, slug, counts=False)
    return _rsvp_out(services.rsvp_cancel(event=event, user=request.user), event)


@router.get("/events/{slug}/rsvps", response=RsvpPage, summary="RSVPs (organisers)")
def rsvp_list(request, slug: str, filters: Query[RsvpFilter]):
    event = access.managed_event(request, slug, counts=False)
    rsvps = selectors.rsvp_list(event, status=filters.status or "").annotate(
        rank=Window(RowNumber(), partition_by=[F("status")], order_by=[F("created_at"), F("id")])
    )
    start = (filters.page - 1) * filters.page_size
    items = [
        RsvpRow(user=UserRef(username=r.user.username, display_name=r.user.public_name), status=r.status,
                waitlist_position=r.rank if r.status == RSVP.Status.WAITLISTED else None,
                created_at=r.created_at, checked_in_at=r.checked_in_at)
        for r in rsvps[start:start + filters.page_size]
    ]
    return RsvpPage(count=rsvps.count(), items=items)


@router.get("/events/{slug}/rsvps.csv", summary="RSVPs as CSV (organisers)")
def rsvp_csv(request, slug: str, status: Literal["going", "waitlisted", "cancelled"] | None = None):
    event = access.managed_event(request, slug, counts=False)
    return exports.rsvps_csv_response(event, status=status or "")


@router.post("/events/{slug}/checkins", response={200: CheckinOut, 201: CheckinOut},
             summary="Check a ticket in (organisers and door staff)")
def checkin_create(request, slug: str, payload: CheckinIn):
    event = access.door_event(request, slug, counts=False)
    result = services.checkin(event=event, code=payload.code, actor=request.user)
    if result.outcome == "not_found":
        raise Refused("not_found", "No ticket with this code for this event.", status=404)
    rsvp = result.rsvp
    if result.outcome == "not_going":
        raise Refused("not_going", f"{rsvp.user.public_name} is {rsvp.get_status_display().lower()}, not going.")
    user = UserRef(username=rsvp.user.username, display_name=rsvp.user.public_name)
    status = 201 if result.outcome == "checked_in" else 200
    return status, CheckinOut(status=result.outcome, checked_in_at=rsvp.checked_in_at, user=user)



@router.post("/events/{slug}/move", response=MoveOut, summary="Move to another venue in one step (organisers)")
def event_move(request, slug: str, payload: MoveIn):
    event = access.managed_event(request, slug)
    venue = Venue.objects.filter(slug=payload.venue).first()
    if venue is None:
        raise ValidationError({"venue": [f"No venue with slug {payload.venue!r}."]})
    promoted = services.venue_move(event=event, venue=venue, capacity=payload.capacity, created_by=request.user)
    return MoveOut(event=access.visible_event(request, slug), promoted=len(promoted))
