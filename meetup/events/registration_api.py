"""The JSON API of registration: questions, approvals, invitations that skip them, who's going,
and the personal calendar feed."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr, conint

from meetup.accounts.auth import public
from meetup.events import access, selectors, services
from meetup.events.models import RSVP, Question
from meetup.events.roles import can_manage_event
from meetup.events.tickets import calendar_feed_url, event_url

router = Router(tags=["registration"])

Kind = Literal["text", "long_text", "choice", "multi_choice", "yes_no", "number", "url"]
MAX_ID = 2**62


class QuestionOut(Schema):
    id: int
    label: str
    kind: str
    choices: list[str]
    required: bool
    show_at_checkin: bool
    help_text: str
    position: int
    hidden: bool


class QuestionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    label: StrictStr = Field(..., min_length=1, max_length=200)
    kind: Kind = "text"
    choices: list[StrictStr] = Field(default_factory=list, max_length=50, description="for choice and multi_choice")
    required: StrictBool = False
    show_at_checkin: StrictBool = Field(False, description="shown to door staff beside the name (dietary, access)")
    help_text: StrictStr = Field("", max_length=300)
    position: StrictInt | None = Field(None, ge=0, le=10_000)


class QuestionPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    label: StrictStr = Field(None, min_length=1, max_length=200)
    kind: Kind = None
    choices: list[StrictStr] = Field(None, max_length=50)
    required: StrictBool = None
    show_at_checkin: StrictBool = None
    help_text: StrictStr = Field(None, max_length=300)
    position: StrictInt = Field(None, ge=0, le=10_000)
    hidden: StrictBool = Field(None, description="hidden questions are no longer asked; their answers stay")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    message: StrictStr = Field("", max_length=1000, description="an optional note included in the email")


class DecisionOut(Schema):
    id: int
    status: str


class BulkDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rsvp_ids: list[conint(strict=True, ge=1, le=MAX_ID)] = Field(..., min_length=1, max_length=1000)
    decision: Literal["approve", "decline"]
    message: StrictStr = Field("", max_length=1000)


class BulkDecisionOut(Schema):
    going: int
    waitlisted: int
    declined: int
    skipped: int


class InvitesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    emails: list[StrictStr] = Field(..., min_length=1, max_length=2000)


class InvitesOut(Schema):
    added: int
    total: int


class InviteLinkOut(Schema):
    url: str


class AttendeeOut(Schema):
    display_name: str
    hub_username: str | None


class AttendeeList(Schema):
    count: int
    items: list[AttendeeOut]


class CalendarFeedOut(Schema):
    url: str


def _question(request, slug: str, question_id: int) -> Question:
    event = access.managed_event(request, slug, counts=False)
    if question_id > MAX_ID:
        raise Http404(_("No such question."))
    return get_object_or_404(Question, pk=question_id, event=event)


@router.get("/events/{slug}/questions", response=list[QuestionOut], auth=public,
            summary="Registration questions (everyone sees those asked; organisers also see hidden ones)")
def question_list(request, slug: str):
    event = access.visible_event(request, slug, counts=False)
    return selectors.questions_for(event, include_hidden=can_manage_event(request.user, event))


@router.post("/events/{slug}/questions", response={201: QuestionOut}, summary="Add a question (organisers)")
def question_create(request, slug: str, payload: QuestionIn):
    event = access.managed_event(request, slug, counts=False)
    return 201, services.question_create(event=event, **payload.model_dump())


@router.patch("/events/{slug}/questions/{question_id}", response=QuestionOut, summary="Change a question (organisers)")
def question_patch(request, slug: str, question_id: int, payload: QuestionPatch):
    question = _question(request, slug, question_id)
    changes = payload.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise ValidationError({name: [_("This field cannot be null.")]})
    return services.question_update(question=question, **changes)


@router.delete("/events/{slug}/questions/{question_id}", response={204: None},
               summary="Delete a question nobody answered (organisers); 409 once answered: hide it instead")
def question_delete(request, slug: str, question_id: int):
    services.question_delete(question=_question(request, slug, question_id))
    return 204, None


def _rsvp(request, slug: str, rsvp_id: int) -> RSVP:
    event = access.managed_event(request, slug, counts=False)
    if rsvp_id > MAX_ID:
        raise Http404(_("No such RSVP."))
    return get_object_or_404(RSVP.objects.select_related("user", "event"), pk=rsvp_id, event=event)


@router.post("/events/{slug}/rsvps/{rsvp_id}/approve", response=DecisionOut,
             summary="Approve a requested RSVP (organisers): going if a seat is free, else waitlisted")
def rsvp_approve(request, slug: str, rsvp_id: int, payload: DecisionIn | None = None):
    rsvp = _rsvp(request, slug, rsvp_id)
    status = services.rsvp_approve(rsvp=rsvp, actor=request.user, note=payload.message if payload else "")
    return DecisionOut(id=rsvp.pk, status=status)


@router.post("/events/{slug}/rsvps/{rsvp_id}/decline", response=DecisionOut,
             summary="Decline a requested RSVP (organisers); the person is emailed")
def rsvp_decline(request, slug: str, rsvp_id: int, payload: DecisionIn | None = None):
    rsvp = _rsvp(request, slug, rsvp_id)
    services.rsvp_decline(rsvp=rsvp, actor=request.user, note=payload.message if payload else "")
    return DecisionOut(id=rsvp.pk, status=rsvp.status)


@router.post("/events/{slug}/rsvps/decisions", response=BulkDecisionOut,
             summary="Approve or decline many requested RSVPs at once (organisers)")
def rsvps_decide(request, slug: str, payload: BulkDecisionIn):
    event = access.managed_event(request, slug, counts=False)
    return services.rsvps_decide(event=event, rsvp_ids=payload.rsvp_ids, approve=payload.decision == "approve",
                                 actor=request.user, note=payload.message)


@router.post("/events/{slug}/attendee-invites", response=InvitesOut,
             summary="Invite email addresses (organisers): their owners skip approval")
def attendee_invites_add(request, slug: str, payload: InvitesIn):
    event = access.managed_event(request, slug, counts=False)
    added = services.attendee_invites_add(event=event, emails=payload.emails)
    return InvitesOut(added=added, total=event.attendee_invites.count())


@router.post("/events/{slug}/invite-link", response=InviteLinkOut,
             summary="A new invitation link (organisers): who RSVPs through it skips approval; the old one stops")
def invite_link_rotate(request, slug: str):
    event = access.managed_event(request, slug, counts=False)
    token = services.invite_link_rotate(event=event)
    return InviteLinkOut(url=f"{event_url(event)}?invite={token}")


@router.get("/events/{slug}/attendees", response=AttendeeList, auth=public,
            summary="Who's going: only people who chose to be listed; names and Hub handles, never contact data")
def attendee_list(request, slug: str, page: int = 1):
    event = access.visible_event(request, slug, counts=False)
    rsvps = selectors.attendees_listed(event, request.user)
    if rsvps is None:
        raise Http404(_("The organisers do not list attendees for this event."))
    page = max(1, min(page, 100_000))
    items = [AttendeeOut(display_name=selectors.listed_name(r.user), hub_username=r.user.hub_username or None)
             for r in rsvps[(page - 1) * 200:page * 200]]
    return AttendeeList(count=rsvps.count(), items=items)


@router.get("/me/calendar", response=CalendarFeedOut, summary="Your personal calendar feed URL (made on first use)")
def calendar_feed(request):
    return CalendarFeedOut(url=calendar_feed_url(services.calendar_feed_get_or_create(user=request.user)))


@router.delete("/me/calendar", response={204: None}, summary="Revoke your calendar feed URL")
def calendar_feed_revoke(request):
    services.calendar_feed_revoke(user=request.user)
    return 204, None
