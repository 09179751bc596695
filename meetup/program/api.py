from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr

from meetup.accounts.auth import public
from meetup.lib.bounds import BIGINT_MAX, Id
from meetup.program import access, selectors, services
from meetup.program.models import SCORE_MAX, SCORE_MIN, Application, Call, TeamInvitation

router = Router(tags=["program"])


class QuestionOut(Schema):
    id: int
    text: str


class CriterionOut(Schema):
    id: int
    name: str
    weight: int


class CallOut(Schema):
    slug: str
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    timezone: str
    winners: int
    anonymised: bool
    questions: list[QuestionOut]
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())

    @staticmethod
    def resolve_criteria(obj):
        return list(obj.criteria.all())


class ApplicationOut(Schema):
    id: int
    call: str
    startup_name: str | None = Field(None, description="null for judges while the call is anonymised")
    team: list[str] | None = Field(None, description="usernames; null for judges while the call is anonymised")
    invited: list[str] | None = Field(None, description="usernames invited who have not accepted yet (applicants)")
    pitch: str
    projects: list[str] | None = None
    hub_links: list[str] | None = None
    answers: dict[str, str] = Field(..., description="answers keyed by question id")
    status: str
    submitted_at: datetime | None
    decision: str | None = Field(None, description="accepted or declined once sent (organisers: as staged)")
    shortlisted: bool | None = Field(None, description="organisers only")


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    startup_name: StrictStr = Field(..., min_length=1, max_length=120)
    pitch: StrictStr = Field("", max_length=20_000)
    team: list[StrictStr] = Field(default_factory=list, max_length=12,
                                  description="usernames to invite (they join once they accept); you are on it")
    projects: list[StrictStr] = Field(default_factory=list, max_length=5, description="showcase project slugs")
    hub_links: list[StrictStr] = Field(default_factory=list, max_length=5, description="Hub ids or URLs")
    answers: dict[StrictStr, StrictStr] = Field(default_factory=dict, description="keyed by question id")
    submit: StrictBool = Field(False, description="submit now rather than keep a draft")


class ApplicationPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    startup_name: StrictStr | None = Field(None, min_length=1, max_length=120)
    pitch: StrictStr | None = Field(None, max_length=20_000)
    team: list[StrictStr] | None = Field(None, max_length=12)
    projects: list[StrictStr] | None = Field(None, max_length=5)
    hub_links: list[StrictStr] | None = Field(None, max_length=5)
    answers: dict[StrictStr, StrictStr] | None = None


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    criterion: StrictInt = Field(..., ge=1, le=BIGINT_MAX)
    value: StrictInt = Field(..., ge=SCORE_MIN, le=SCORE_MAX)


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    scores: list[ScoreIn] = Field(..., max_length=50)
    comment: StrictStr = Field("", max_length=5000)


class ScoreOut(Schema):
    criterion: int
    value: int


class ReviewOut(Schema):
    judge: str
    comment: str
    scores: list[ScoreOut]
    counted: bool = Field(..., description="false when the judge declared a conflict")


class ScoresOut(Schema):
    scored: bool = Field(..., description="whether you have given a full scorecard (judges)")
    reviews: list[ReviewOut] = Field(..., description="judges see only their own until they have scored")


class ConflictIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: StrictStr = Field("", max_length=300)


class RankedOut(Schema):
    rank: int | None
    tied: bool
    application: int
    startup_name: str
    weighted_mean: float | None
    median: float | None
    counted: int
    expected: int
    missing: int
    incomplete: int
    shortlisted: bool
    decision: str


class RankingOut(Schema):
    winners: int
    tie_at_cutoff: bool
    rows: list[RankedOut]


def _application_out(application: Application, role: str) -> ApplicationOut:
    hidden = role == "judge" and application.call.anonymised
    return ApplicationOut(
        id=application.pk, call=application.call.slug, pitch=application.pitch, answers=application.answers,
        status=application.status, submitted_at=application.submitted_at,
        startup_name=None if hidden else application.startup_name,
        team=None if hidden else [m.user.username for m in application.members.select_related("user")],
        invited=[u.username for u in selectors.pending_invitees(application)] if role == "applicant" else None,
        projects=None if hidden else list(application.projects.values_list("slug", flat=True)),
        hub_links=None if hidden else application.hub_links,
        decision=(application.decision if role == "organiser" else
                  selectors.visible_decision(application) if role == "applicant" else None) or None,
        shortlisted=application.shortlisted if role == "organiser" else None,
    )


def _scores_out(application: Application, user, role: str) -> ScoresOut:
    if role == "applicant":
        raise PermissionDenied(_("Applicants do not see scores."))
    scored = role == "judge" and selectors.has_scored(application, user)
    reviews = selectors.panel_reviews(application)
    if role == "judge":
        reviews = [r for r in reviews if r.judge_id == user.pk or (scored and not r.excluded)]
    return ScoresOut(scored=scored, reviews=[
        ReviewOut(judge=r.judge.username, comment=r.comment, counted=not r.excluded,
                  scores=[ScoreOut(criterion=s.criterion_id, value=s.value) for s in r.scores.all()])
        for r in reviews])


@router.get("/program/calls", response=list[CallOut], auth=public, summary="Program calls, latest deadline first")
def call_list(request):
    return list(Call.objects.prefetch_related("questions", "criteria"))


@router.get("/program/calls/{slug}", response=CallOut, auth=public, summary="One call with its questions and rubric")
def call_detail(request, slug: str):
    return access.visible_call(request, slug)


@router.post("/program/calls/{slug}/applications", response={201: ApplicationOut}, summary="Apply to a call")
def application_create(request, slug: str, payload: ApplicationIn):
    call = access.visible_call(request, slug)
    application = services.application_create(call=call, user=request.user, **payload.model_dump())
    return 201, _application_out(application, "applicant")


@router.get("/program/applications", response=list[ApplicationOut], summary="Your applications")
def application_list(request):
    return [_application_out(a, "applicant") for a in selectors.applications_of(request.user)]


@router.get("/program/applications/{int:pk}", response=ApplicationOut,
            summary="An application: yours, one you judge, or one of a call you organise")
def application_detail(request, pk: Id):
    application, role = access.application_role(request, pk)
    return _application_out(application, role)


@router.patch("/program/applications/{int:pk}", response=ApplicationOut,
              summary="Change your application (until the deadline)")
def application_update(request, pk: Id, payload: ApplicationPatch):
    application = access.own_application(request, pk)
    changes = payload.model_dump(exclude_unset=True)
    if any(value is None for value in changes.values()):
        raise ValidationError({name: [_("May not be null.")] for name, value in changes.items() if value is None})
    application = services.application_update(application=application, user=request.user, **changes)
    return _application_out(application, "applicant")


@router.post("/program/applications/{int:pk}/submit", response=ApplicationOut, summary="Submit (until the deadline)")
def application_submit(request, pk: Id):
    application = services.application_submit(application=access.own_application(request, pk), user=request.user)
    return _application_out(application, "applicant")


@router.post("/program/applications/{int:pk}/withdraw", response=ApplicationOut,
             summary="Withdraw (until the deadline)")
def application_withdraw(request, pk: Id):
    application = services.application_withdraw(application=access.own_application(request, pk), user=request.user)
    return _application_out(application, "applicant")


@router.get("/program/applications/{int:pk}/scores", response=ScoresOut,
            summary="Scores: organisers see all; a judge sees others' only once they have scored")
def scores_detail(request, pk: Id):
    application, role = access.application_role(request, pk)
    return _scores_out(application, request.user, role)


@router.put("/program/applications/{int:pk}/scores", response=ScoresOut, summary="Your scorecard (judges)")
def scores_put(request, pk: Id, payload: ReviewIn):
    application = access.judged_application(request, pk)
    services.review_save(application=application, judge=request.user, comment=payload.comment,
                         scores={s.criterion: s.value for s in payload.scores})
    return _scores_out(application, request.user, "judge")


@router.post("/program/applications/{int:pk}/conflict", response={201: dict},
             summary="Declare a conflict of interest (judges): the application leaves your queue")
def conflict_declare(request, pk: Id, payload: ConflictIn):
    application = access.judged_application(request, pk)
    services.conflict_declare(application=application, judge=request.user, reason=payload.reason)
    return 201, {"conflict": True}


class InvitationOut(Schema):
    id: int
    application: int
    startup_name: str
    call: str
    invited_by: str | None

    @staticmethod
    def resolve_application(obj):
        return obj.application_id

    @staticmethod
    def resolve_startup_name(obj):
        return obj.application.startup_name

    @staticmethod
    def resolve_call(obj):
        return obj.application.call.slug

    @staticmethod
    def resolve_invited_by(obj):
        return obj.invited_by.public_name if obj.invited_by else None


class InvitationAnswerOut(Schema):
    id: int
    status: str


@router.get("/program/invitations", response=list[InvitationOut], summary="Invitations to application teams for you")
def invitation_list(request):
    return list(selectors.invitations_for(request.user))


@router.post("/program/invitations/{int:pk}/{action}", response=InvitationAnswerOut,
             summary="Accept or decline an invitation to an application's team")
def invitation_answer(request, pk: Id, action: Literal["accept", "decline"]):
    invitation = TeamInvitation(pk=pk)
    return services.team_invitation_respond(invitation=invitation, user=request.user, accept=action == "accept")


@router.get("/program/calls/{slug}/ranking", response=RankingOut, summary="The ranking (the call's organisers)")
def ranking(request, slug: str):
    call = access.managed_call(request, slug)
    result = selectors.ranking(call)
    return RankingOut(winners=result.winners, tie_at_cutoff=result.tie_at_cutoff, rows=[
        RankedOut(rank=r.rank, tied=r.tied, application=r.application.pk, startup_name=r.application.startup_name,
                  weighted_mean=None if r.mean is None else round(float(r.mean), 3),
                  median=None if r.median is None else round(float(r.median), 3), counted=r.counted,
                  expected=r.expected, missing=r.missing, incomplete=r.incomplete,
                  shortlisted=r.application.shortlisted, decision=r.application.decision)
        for r in result.rows])
