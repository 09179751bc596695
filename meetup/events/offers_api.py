"""JSON API for waitlist offers and "still coming?" questions: organisers list offers and ask;
attendees claim an offer or answer by the signed token from their message, without logging in."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, StrictBool

from meetup.accounts.auth import TokenAuth
from meetup.events import access, selectors, services
from meetup.events.models import RSVP

router = Router(tags=["waitlist offers and reconfirmation"])


def _link_holder(request):
    return True


# The signed token in the path is the credential (it comes from the person's own message), so these
# POSTs need no CSRF token; a session or bearer token only serves to refuse someone else signed in.
LINK = [TokenAuth(), _link_holder]


class OfferRow(Schema):
    id: int
    username: str
    display_name: str
    status: str = Field(..., description="open, claimed, expired or declined")
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None


class OfferPage(Schema):
    count: int
    open: int
    items: list[OfferRow]


class OfferFilter(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["open", "claimed", "expired", "declined"] | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(100, ge=1, le=500)


class ClaimOut(Schema):
    event: str
    status: str
    ticket_code: str | None


class ReconfirmOut(Schema):
    asked: int = Field(..., description="people asked now (those asked before are not asked again)")
    yes: int
    no: int
    silent: int


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    coming: StrictBool


class AnswerOut(Schema):
    event: str
    answer: str
    rsvp_status: str


@router.get("/events/{slug}/offers", response=OfferPage, summary="Waitlist offers: open, claimed, expired (organisers)")
def offer_list(request, slug: str, filters: Query[OfferFilter]):
    event = access.managed_event(request, slug, counts=False)
    offers = selectors.offers_of(event, status=filters.status or "")
    start = (filters.page - 1) * filters.page_size
    items = [OfferRow(id=o.pk, username=o.rsvp.user.username, display_name=o.rsvp.user.public_name, status=o.status,
                      created_at=o.created_at, expires_at=o.expires_at, decided_at=o.decided_at)
             for o in offers[start:start + filters.page_size]]
    return OfferPage(count=offers.count(), open=selectors.offers_of(event, status="open").count(), items=items)


@router.post("/offers/{token}/claim", response=ClaimOut, auth=LINK,
             summary="Claim a waitlist offer by the token in its message (no login)")
def offer_claim(request, token: str):
    offer = services.offer_from_token(token)
    if offer is None:
        raise Http404(_("This offer link is not valid."))
    rsvp = services.offer_claim(offer=offer, user=request.user)
    going = rsvp.status == RSVP.Status.GOING
    return ClaimOut(event=offer.event.slug, status=rsvp.status, ticket_code=rsvp.ticket_code if going else None)


@router.post("/events/{slug}/reconfirmations", response=ReconfirmOut,
             summary="Ask everyone going whether they are still coming (organisers)")
def reconfirmations_ask(request, slug: str):
    event = access.managed_event(request, slug, counts=False)
    asked = services.reconfirmations_ask(event=event, actor=request.user)
    counts = selectors.reconfirmation_counts(event)
    return ReconfirmOut(asked=asked, yes=counts["yes"], no=counts["no"], silent=counts["silent"])


@router.post("/reconfirmations/{token}", response=AnswerOut, auth=LINK,
             summary="Answer 'still coming?' by the token in its message (no login); no frees the seat")
def reconfirmation_answer(request, token: str, payload: AnswerIn):
    reconfirmation = services.reconfirmation_from_token(token)
    if reconfirmation is None:
        raise Http404(_("This link is not valid."))
    done = services.reconfirmation_answer(reconfirmation=reconfirmation, coming=payload.coming, user=request.user)
    status = RSVP.objects.values_list("status", flat=True).get(pk=done.rsvp_id)
    return AnswerOut(event=done.event.slug, answer=done.answer, rsvp_status=status)
