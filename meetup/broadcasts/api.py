from datetime import datetime
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictStr

from meetup.broadcasts import selectors, services
from meetup.broadcasts.exports import deliveries_csv_response
from meetup.broadcasts.models import Broadcast
from meetup.events import access
from meetup.lib.bounds import BoundedDatetime, Id
from meetup.lib.errors import Refused

router = Router(tags=["broadcasts"])


class BroadcastIn(Schema):
    model_config = ConfigDict(extra="forbid")

    channels: list[Literal["sms", "email"]] = Field(..., min_length=1, max_length=2)
    email_fallback: StrictBool = Field(
        False, description="With both channels: text those who agreed to texts, email the others (one message each).")
    audience: Literal["going", "waitlisted", "all", "checked_in", "not_checked_in"] = "going"
    kind: Literal["announcement", "logistics"] = "announcement"
    subject: StrictStr = Field("", max_length=200)
    body: StrictStr = Field(..., min_length=1, max_length=5000)
    scheduled_for: BoundedDatetime | None = Field(None, description="Send later; omit to send now.")


class BroadcastOut(Schema):
    id: int
    event: str
    kind: str
    channels: str
    audience: str
    subject: str
    body: str
    status: str
    scheduled_for: datetime | None
    created_at: datetime
    planned_at: datetime | None
    finished_at: datetime | None
    total: int
    queued: int
    sending: int
    sent: int
    delivered: int
    failed: int
    skipped_opted_out: int
    cancelled: int
    possible_duplicates: int


def _out(broadcast: Broadcast) -> BroadcastOut:
    counts = selectors.broadcast_counts(broadcast)
    return BroadcastOut(
        id=broadcast.pk, event=broadcast.event.slug, kind=broadcast.kind, channels=broadcast.channels,
        audience=broadcast.audience, subject=broadcast.subject, body=broadcast.body, status=broadcast.status,
        scheduled_for=broadcast.scheduled_for, created_at=broadcast.created_at, planned_at=broadcast.planned_at,
        finished_at=broadcast.finished_at,
        **{name: counts[name] for name in ("total", "queued", "sending", "sent", "delivered", "failed",
                                           "skipped_opted_out", "cancelled", "possible_duplicates")},
    )


def _channels(payload: BroadcastIn) -> str:
    chosen = set(payload.channels)
    if chosen == {"sms", "email"}:
        return Broadcast.Channels.SMS_OR_EMAIL if payload.email_fallback else Broadcast.Channels.BOTH
    return chosen.pop()


@router.post("/events/{slug}/broadcasts", response={202: BroadcastOut},
             summary="Send or schedule a blast to the event's audience (organisers)")
def broadcast_create(request, slug: str, payload: BroadcastIn):
    event = access.managed_event(request, slug, counts=False)
    broadcast = services.broadcast_create(
        event=event, created_by=request.user, channels=_channels(payload), audience=payload.audience,
        kind=payload.kind, subject=payload.subject, body=payload.body, scheduled_for=payload.scheduled_for,
    )
    return 202, _out(broadcast)


@router.get("/events/{slug}/broadcasts", response=list[BroadcastOut], summary="The event's broadcasts (organisers)")
def broadcast_list(request, slug: str):
    event = access.managed_event(request, slug, counts=False)
    return [_out(b) for b in selectors.broadcasts_of(event)[:100]]


def _managed(request, broadcast_id: Id) -> Broadcast:
    broadcast = selectors.broadcast_for(request.user, broadcast_id)
    if broadcast is None:
        raise Http404(_("No such broadcast."))
    return broadcast


@router.get("/broadcasts/{broadcast_id}", response=BroadcastOut, summary="A broadcast's status and counts")
def broadcast_detail(request, broadcast_id: Id):
    return _out(_managed(request, broadcast_id))


@router.post("/broadcasts/{broadcast_id}/cancel", response=BroadcastOut,
             summary="Stop a scheduled or sending broadcast; messages not yet claimed are not sent")
def broadcast_cancel(request, broadcast_id: Id):
    broadcast = _managed(request, broadcast_id)
    if not broadcast.cancellable:
        raise Refused("not_cancellable", _("This broadcast is %(value)s.") % {
            "value": broadcast.get_status_display().lower()})
    services.broadcast_cancel(broadcast=broadcast, actor=request.user)
    return _out(broadcast)


@router.get("/broadcasts/{broadcast_id}/deliveries.csv", summary="Every delivery with its status and reason (CSV)")
def broadcast_deliveries_csv(request, broadcast_id: Id):
    return deliveries_csv_response(_managed(request, broadcast_id))
