from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr

from meetup.accounts.auth import public
from meetup.accounts.roles import is_organiser
from meetup.events import access, exports, readcache, selectors, services, sources
from meetup.events.models import RSVP, Entrance, Event, Venue
from meetup.lib.bounds import BoundedDatetime
from meetup.lib.errors import Refused

router = Router(tags=["events"])
_JSON = JSONRenderer()


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
    step_free_access: bool | None = Field(None, description="null: not known yet")
    hearing_loop: bool | None = None
    captions: bool | None = None
    quiet_room: bool | None = None
    accessibility_notes: str = ""
    requires_approval: bool
    show_attendees: bool
    waitlist_mode: str
    offer_hours: int
    reconfirm_days_before: int | None
    reminder_hours: str
    translations: dict[str, dict[str, str]] = Field(
        default_factory=dict, description='the title and description in other languages: {"fr": {"title": ...}}')


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
    step_free_access: StrictBool | None = None
    hearing_loop: StrictBool | None = None
    captions: StrictBool | None = None
    quiet_room: StrictBool | None = None
    accessibility_notes: StrictStr = Field("", max_length=2000)
    requires_approval: StrictBool = False
    show_attendees: StrictBool = True
    waitlist_mode: Literal["auto", "offers"] = "auto"
    offer_hours: StrictInt = Field(24, ge=1, le=168, description="how long an offer is held (shorter near the start)")
    reconfirm_days_before: StrictInt | None = Field(None, ge=1, le=30, description="ask 'still coming?' then")
    reminder_hours: StrictStr = Field("24,2", max_length=40, description="reminders this many hours before")
    translations: dict[StrictStr, dict[StrictStr, StrictStr]] = Field(
        default_factory=dict, description='{"fr": {"title": ..., "description": ...}}; missing ones show the original')


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
    step_free_access: StrictBool | None = Field(None, description="null: not known yet")
    hearing_loop: StrictBool | None = None
    captions: StrictBool | None = None
    quiet_room: StrictBool | None = None
    accessibility_notes: StrictStr = Field(None, max_length=2000)
    requires_approval: StrictBool = None
    show_attendees: StrictBool = None
    waitlist_mode: Literal["auto", "offers"] = None
    offer_hours: StrictInt = Field(None, ge=1, le=168)
    reconfirm_days_before: StrictInt | None = Field(None, ge=1, le=30)
    reminder_hours: StrictStr = Field(None, max_length=40)
    translations: dict[StrictStr, dict[StrictStr, StrictStr]] = Field(
        None, description="replaces every translation; {} removes them all")



Visibility = Literal["hidden", "attendees", "public"]
RsvpStatus = Literal["going", "waitlisted", "offered", "cancelled", "requested", "declined"]
ANSWERS_DOC = ("{question id: answer}: text for `text`, `long_text` and `url`; one of the choices for `choice`; "
               "a list of choices for `multi_choice`; true or false for `yes_no`; a number for `number`")


class RsvpIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept_code_of_conduct: StrictBool = False
    answers: dict[str, Any] | None = Field(None, description=ANSWERS_DOC)
    source: StrictStr | None = Field(None, max_length=200, description="where the link came from (like ?ref=)")
    invite: StrictStr | None = Field(None, max_length=100, description="the event's invitation link token")
    visibility: Visibility | None = Field(None, description="who sees you on the who's-going list")


class RsvpPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] | None = Field(None, description=ANSWERS_DOC + "; null clears an optional answer")
    visibility: Visibility | None = None


class RsvpOut(Schema):
    event: str
    status: str
    waitlist_position: int | None
    ticket_code: str | None
    created_at: datetime
    checked_in_at: datetime | None
    visibility: str
    answers: dict[str, Any]


class UserRef(Schema):
    username: str
    display_name: str


class RsvpRow(Schema):
    id: int
    user: UserRef
    status: str
    source: str
    answers: dict[str, str]
    waitlist_position: int | None
    created_at: datetime
    checked_in_at: datetime | None


class RsvpPage(Schema):
    count: int
    items: list[RsvpRow]


class RsvpFilter(Schema):
    model_config = ConfigDict(extra="forbid")

    status: RsvpStatus | None = None
    question: int | None = Field(None, ge=1, le=2**62, description="only RSVPs that answered this question")
    answer: str = Field("", max_length=200, description="with `question`: answers containing this text")
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

    code: StrictStr = Field(..., pattern=r"^[\x21-\x7e]{1,128}$", description="a signed M1. code or a plain one")
    entrance: StrictInt | None = Field(None, ge=1, le=2**31 - 1, description="an entrance id of this event")
    direction: Literal["entry", "exit"] = "entry"


class CheckinOut(Schema):
    status: str
    checked_in_at: datetime | None
    user: UserRef
    answers: list[list[str]] = Field(default_factory=list, description="answers shown at check-in: [label, value]")


def _venue(slug: str | None) -> Venue | None:
    if slug is None:
        return None
    venue = Venue.objects.filter(slug=slug).first()
    if venue is None:
        raise ValidationError({"venue": [_("No venue with slug %(slug)r.") % {"slug": slug}]})
    return venue


def _rsvp_out(rsvp: RSVP, event: Event, *, answered: bool = True) -> RsvpOut:
    """`answered=False`: the RSVP is known to have no answers (saves the query)."""
    going = rsvp.status == RSVP.Status.GOING
    answers = {str(qid): value for qid, value in rsvp.answers.values_list("question_id", "value")} if answered else {}
    return RsvpOut(
        event=event.slug, status=rsvp.status, waitlist_position=selectors.waitlist_position(rsvp),
        ticket_code=rsvp.ticket_code if going else None, created_at=rsvp.created_at,
        checked_in_at=rsvp.checked_in_at, visibility=rsvp.visibility, answers=answers,
    )


@router.get("/events", response=list[EventOut], auth=public, summary="Events you can see")
def event_list(request):
    return selectors.event_list_for(request.user).order_by("starts_at")


@router.post("/events", response={201: EventOut}, summary="Create an event (organisers)")
def event_create(request, payload: EventIn):
    if not is_organiser(request.user):
        raise PermissionDenied(_("Only organisers can create events."))
    data = payload.model_dump()
    data["venue"] = _venue(data["venue"])
    event = services.event_create(organiser=request.user, **data)
    return 201, access.visible_event(request, event.slug)


@router.get("/events/{slug}", response=EventOut, auth=public, summary="One event")
def event_detail(request, slug: str):
    """The same bytes for every caller who may see the event: kept in the read cache unless it is a
    draft (events/readcache.py: counts up to READ_CACHE_SECONDS old, edits at once)."""
    body = readcache.get("api", slug)
    if body is None:
        event = access.visible_event(request, slug, caller=False)
        if event.status == Event.Status.DRAFT:
            return event
        body = _JSON.render(request, EventOut.from_orm(event).model_dump(), response_status=200).encode()
        readcache.keep("api", slug, body)
    return HttpResponse(body, content_type=f"{_JSON.media_type}; charset={_JSON.charset}")


@router.patch("/events/{slug}", response=EventOut, summary="Change an event (its organisers)")
def event_patch(request, slug: str, payload: EventPatch):
    event = access.managed_event(request, slug, counts=False)
    changes = payload.model_dump(exclude_unset=True)
    if "venue" in changes:
        changes["venue"] = _venue(changes["venue"])
    for name in ("title", "description", "starts_at", "ends_at", "timezone", "status", "code_of_conduct_url",
                 "accessibility_notes", "waitlist_mode", "offer_hours", "reminder_hours", "translations"):
        if name in changes and changes[name] is None:
            raise ValidationError({name: [_("This field cannot be null.")]})
    services.event_update(event=event, actor=request.user, **changes)
    return access.visible_event(request, slug)


@router.post("/events/{slug}/rsvp", response={200: RsvpOut, 201: RsvpOut}, summary="RSVP as yourself")
def rsvp_create(request, slug: str, payload: RsvpIn | None = None):
    event = access.visible_event(request, slug, counts=False, caller=False)
    payload = payload or RsvpIn()
    source = sources.source_clean(payload.source) if payload.source else sources.source_from(request.GET)
    rsvp, created = services.rsvp_create(
        event=event, user=request.user, accept_code_of_conduct=payload.accept_code_of_conduct,
        answers=payload.answers, source=source, invite=payload.invite or "", visibility=payload.visibility or "")
    # A new RSVP to an event that asks nothing has no answers (the surge's RSVPs, mostly).
    return (201 if created else 200), _rsvp_out(rsvp, event, answered=not created or event.asks_questions)


@router.patch("/events/{slug}/rsvp", response=RsvpOut,
              summary="Change your answers (until the event starts) or who sees you listed")
def rsvp_patch(request, slug: str, payload: RsvpPatch):
    event = access.visible_event(request, slug, counts=False)
    rsvp = selectors.rsvp_for(request.user, event)
    if rsvp is None:
        raise Http404(_("You have no RSVP for this event."))
    data = payload.model_dump(exclude_unset=True)
    services.rsvp_details_update(rsvp=rsvp, answers=data.get("answers"), visibility=data.get("visibility"))
    return _rsvp_out(rsvp, event)


@router.get("/events/{slug}/rsvp", response=RsvpOut, summary="Your RSVP")
def rsvp_get(request, slug: str):
    event = access.visible_event(request, slug, counts=False)
    rsvp = selectors.rsvp_for(request.user, event)
    if rsvp is None:
        raise Http404(_("You have no RSVP for this event."))
    return _rsvp_out(rsvp, event)


@router.delete("/events/{slug}/rsvp", response=RsvpOut, summary="Cancel your RSVP")
def rsvp_delete(request, slug: str):
    event = access.visible_event(request, slug, counts=False)
    return _rsvp_out(services.rsvp_cancel(event=event, user=request.user), event)


@router.get("/events/{slug}/rsvps", response=RsvpPage, summary="RSVPs (organisers)")
def rsvp_list(request, slug: str, filters: Query[RsvpFilter]):
    event = access.managed_event(request, slug, counts=False)
    rsvps = selectors.rsvp_list(event, status=filters.status or "", question_id=filters.question,
                                answer=filters.answer.strip()).annotate(
        rank=Window(RowNumber(), partition_by=[F("status")], order_by=[F("created_at"), F("id")])
    )
    start = (filters.page - 1) * filters.page_size
    page = list(rsvps[start:start + filters.page_size])
    answers = selectors.answers_by_rsvp(r.pk for r in page)
    items = [
        RsvpRow(id=r.pk, user=UserRef(username=r.user.username, display_name=r.user.public_name), status=r.status,
                source=r.source, answers={str(q): t for q, t in answers.get(r.pk, {}).items()},
                waitlist_position=r.rank if r.status == RSVP.Status.WAITLISTED else None,
                created_at=r.created_at, checked_in_at=r.checked_in_at)
        for r in page
    ]
    return RsvpPage(count=rsvps.count(), items=items)


@router.get("/events/{slug}/rsvps.csv", summary="RSVPs as CSV (organisers)")
def rsvp_csv(request, slug: str, status: RsvpStatus | None = None,
             question: int | None = Query(None, ge=1, le=2**62), answer: str = Query("", max_length=200)):
    event = access.managed_event(request, slug, counts=False)
    return exports.rsvps_csv_response(event, status=status or "", question_id=question, answer=answer.strip())


@router.post("/events/{slug}/checkins", response={200: CheckinOut, 201: CheckinOut},
             summary="Check a ticket in (organisers and door staff)")
def checkin_create(request, slug: str, payload: CheckinIn):
    event = access.door_event(request, slug, counts=False)
    entrance = None
    if payload.entrance is not None:
        entrance = Entrance.objects.filter(event=event, pk=payload.entrance).first()
        if entrance is None:
            raise ValidationError({"entrance": [_("No such entrance for this event.")]})
    result = services.checkin(event=event, code=payload.code, actor=request.user, entrance=entrance,
                              direction=payload.direction)
    if result.outcome == "not_found":
        raise Refused("not_found", _("No ticket with this code for this event."), status=404)
    rsvp = result.rsvp
    if result.outcome == "not_going":
        raise Refused("not_going", _("%(public_name)s is %(value)s, not going.") % {
            "public_name": rsvp.user.public_name, "value": rsvp.get_status_display().lower()})
    if result.outcome == "not_inside":
        raise Refused("not_inside", _("%(public_name)s is not inside.") % {"public_name": rsvp.user.public_name})
    user = UserRef(username=rsvp.user.username, display_name=rsvp.user.public_name)
    status = 201 if result.outcome == "checked_in" else 200
    return status, CheckinOut(status=result.outcome, checked_in_at=rsvp.checked_in_at, user=user,
                              answers=[list(p) for p in selectors.checkin_answers(event, [rsvp.pk]).get(rsvp.pk, [])])



@router.post("/events/{slug}/move", response=MoveOut, summary="Move to another venue in one step (organisers)")
def event_move(request, slug: str, payload: MoveIn):
    event = access.managed_event(request, slug)
    venue = Venue.objects.filter(slug=payload.venue).first()
    if venue is None:
        raise ValidationError({"venue": [_("No venue with slug %(venue)r.") % {"venue": payload.venue}]})
    promoted = services.venue_move(event=event, venue=venue, capacity=payload.capacity, created_by=request.user)
    return MoveOut(event=access.visible_event(request, slug), promoted=len(promoted))
