"""The door's JSON API: data for offline scanning, syncing offline scans, entrances and badges.

Door staff and organisers of the event only (roles.can_check_in); creating entrances is for
organisers. Everyone else gets 403 (or 404 for events they cannot see).
"""

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import AwareDatetime, ConfigDict, StrictInt, StrictStr, field_validator

from meetup.events import access, badges, selectors, services
from meetup.events.models import RSVP
from meetup.events.roles import can_manage_event

router = Router(tags=["door"])

MAX_BATCH = 2000
CODE = r"^[\x21-\x7e]{1,128}$"  # printable ASCII: signed codes and the older random ones
TOKEN = r"^[A-Za-z0-9_.:-]{1,64}$"
EARLIEST, LATEST = datetime(2000, 1, 1), datetime(2100, 1, 1)


class EventRef(Schema):
    id: int
    slug: str
    title: str


class KeyOut(Schema):
    alg: str
    format: str
    public_key: str = Field(..., description="raw 32-byte Ed25519 public key, base64url")


class TicketOut(Schema):
    id: int
    name: str
    code_hash: str = Field(..., description="base64url of the first 16 bytes of SHA-256 of the plain ticket code")
    answers: list[list[str]]
    checked_in: bool
    inside: bool


class EntranceOut(Schema):
    id: int
    name: str


class DoorDataOut(Schema):
    event: EventRef
    key: KeyOut
    tickets: list[TicketOut]
    revocations: list[int]
    entrances: list[EntranceOut]
    generated_at: datetime


class ScanItem(Schema):
    model_config = ConfigDict(extra="forbid")

    code: StrictStr = Field(..., pattern=CODE)
    scanned_at: AwareDatetime
    entrance: StrictInt | None = Field(None, ge=1, le=2**31 - 1)
    direction: Literal["entry", "exit"] = "entry"
    scan_id: StrictStr = Field(..., pattern=TOKEN)

    @field_validator("scanned_at")
    @classmethod
    def plausible(cls, value: datetime) -> datetime:
        # Dates at the ends of the calendar overflow when moved to UTC; no door scans before 2000.
        if not (EARLIEST <= value.replace(tzinfo=None) <= LATEST):
            raise ValueError("scanned_at must be between 2000 and 2100")
        return value


class SyncIn(Schema):
    model_config = ConfigDict(extra="forbid")

    device: StrictStr = Field("", pattern=r"^[A-Za-z0-9_.:-]{0,64}$")
    scans: list[ScanItem] = Field(..., max_length=MAX_BATCH)


class ScanResult(Schema):
    scan_id: str
    outcome: Literal["admitted", "duplicate", "conflict", "exited", "not_inside", "revoked", "invalid"]
    replayed: bool


class SyncOut(Schema):
    results: list[ScanResult]
    counts: dict


class EntranceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: StrictStr = Field(..., min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]+$")


class EntranceCount(Schema):
    id: int | None
    name: str
    entries: int
    exits: int
    conflicts: int


class BadgeQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    rsvp: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(default_factory=list, max_length=5000)
    layout: Literal["avery5392", "a6"] = "avery5392"


@router.get("/events/{slug}/door-data", response=DoorDataOut,
            summary="Everything a door device needs to scan offline (organisers and door staff)")
def door_data(request, slug: str):
    event = access.door_event(request, slug, counts=False)
    return selectors.door_data(event)


@router.post("/events/{slug}/checkins/sync", response=SyncOut,
             summary="Upload scans made offline; idempotent per scan_id (organisers and door staff)")
def checkins_sync(request, slug: str, payload: SyncIn):
    event = access.door_event(request, slug, counts=False)
    scans = [services.ScanIn(code=s.code, scanned_at=s.scanned_at, entrance=s.entrance, direction=s.direction,
                         scan_id=s.scan_id) for s in payload.scans]
    results = services.scans_sync(event=event, scans=scans, device=payload.device, actor=request.user)
    counts = selectors.checkin_counts(event)
    return SyncOut(results=results, counts=counts)


@router.get("/events/{slug}/entrances", response=list[EntranceCount],
            summary="Entrances with their admissions, exits and conflicts (organisers and door staff)")
def entrance_list(request, slug: str):
    event = access.door_event(request, slug, counts=False)
    return selectors.entrance_counts(event)


@router.post("/events/{slug}/entrances", response={201: EntranceOut}, summary="Add an entrance (organisers)")
def entrance_create(request, slug: str, payload: EntranceIn):
    event = access.managed_event(request, slug, counts=False)
    return 201, services.entrance_create(event=event, name=payload.name, actor=request.user)


@router.get("/events/{slug}/badges.pdf", summary="Printable badges: ?rsvp= ids, or everyone going (organisers "
                                                 "and door staff)")
def badges_pdf(request, slug: str, filters: Query[BadgeQuery]):
    event = access.door_event(request, slug, counts=False)
    rsvps = RSVP.objects.filter(event=event, status=RSVP.Status.GOING).select_related("user", "event")
    if filters.rsvp:
        rsvps = rsvps.filter(pk__in=filters.rsvp)
    elif not can_manage_event(request.user, event):
        raise PermissionDenied(_("Door staff print badges for the people they check in; ask for ?rsvp= ids."))
    pdf = badges.badges_pdf(list(rsvps.order_by("user__display_name", "user__username", "pk")), layout=filters.layout)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badges-{event.slug}.pdf"'
    return response



