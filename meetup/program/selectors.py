"""Reads that the program's pages and API share: calls, who sees which application, the judges'
queues, the ranking and the panel's progress."""

import statistics
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from meetup.broadcasts.models import Delivery
from meetup.program.models import Application, Assignment, Call, Conflict, Review, TeamInvitation, TeamMember


# --- Calls ----------------------------------------------------------------------------------------
def call_for(slug: str) -> Call | None:
    return Call.objects.filter(slug=slug).first()


@dataclass
class CallLists:
    open: list
    upcoming: list
    closed: list


def calls_listed(now=None) -> CallLists:
    now = now or timezone.now()
    calls = list(Call.objects.order_by("closes_at", "id"))
    return CallLists(open=[c for c in calls if c.is_open_at(now)],
                     upcoming=[c for c in calls if now < c.opens_at],
                     closed=[c for c in calls if now >= c.closes_at][::-1])


def calls_judged_by(user) -> QuerySet[Call]:
    return Call.objects.filter(judges=user) if user.is_authenticated else Call.objects.none()


def calls_managed_by(user) -> QuerySet[Call]:
    if not user.is_authenticated:
        return Call.objects.none()
    return Call.objects.all() if user.is_staff else Call.objects.filter(organisers=user)


# --- Applicants -----------------------------------------------------------------------------------
def application_of(user, call: Call) -> Application | None:
    """The application `user` is on in this call, if any (at most one)."""
    if not user.is_authenticated:
        return None
    return Application.objects.filter(call=call, members__user=user).first()


def applications_of(user) -> QuerySet[Application]:
    return Application.objects.filter(members__user=user).select_related("call").order_by("-created_at")


def invitations_for(user) -> QuerySet[TeamInvitation]:
    """Pending invitations to application teams addressed to `user`."""
    if not user.is_authenticated:
        return TeamInvitation.objects.none()
    return (TeamInvitation.objects.filter(user=user, status=TeamInvitation.Status.PENDING)
            .select_related("application__call", "invited_by").order_by("-created_at"))


def pending_invitees(application: Application) -> list:
    """Who has been invited to the team and has not answered yet."""
    return [i.user for i in application.invitations.filter(status=TeamInvitation.Status.PENDING).select_related("user")]


def is_applicant(user, application: Application) -> bool:
    return user.is_authenticated and application.members.filter(user=user).exists()


def visible_decision(application: Application) -> str:
    """What the applicant may know of the decision: nothing until it has been sent."""
    return application.decision if application.call.decisions_sent_at else ""


# --- Judges ---------------------------------------------------------------------------------------
def _conflicted(judge) -> Q:
    """Applications the judge stepped away from, or is on the team of."""
    return Q(Exists(Conflict.objects.filter(application=OuterRef("pk"), judge=judge))) | Q(
        Exists(TeamMember.objects.filter(application=OuterRef("pk"), user=judge)))


def judge_applications(call: Call, judge) -> QuerySet[Application]:
    """The submitted applications this judge scores: those assigned to them, or all when the call
    has no assignments; never one they declared a conflict on or are on the team of."""
    applications = call.applications.filter(status=Application.Status.SUBMITTED).exclude(_conflicted(judge))
    if Assignment.objects.filter(application__call=call).exists():
        applications = applications.filter(assignments__judge=judge)
    return applications.order_by("id")


def visible_to_judge(application: Application, judge) -> bool:
    return judge_applications(application.call, judge).filter(pk=application.pk).exists()


def review_of(application: Application, judge) -> Review | None:
    return Review.objects.filter(application=application, judge=judge).prefetch_related("scores").first()


def has_scored(application: Application, judge) -> bool:
    """A full scorecard: a score for every criterion of the call."""
    review = review_of(application, judge)
    criteria = set(application.call.criteria.values_list("pk", flat=True))
    return review is not None and bool(criteria) and criteria <= {s.criterion_id for s in review.scores.all()}


def panel_reviews(application: Application) -> list[Review]:
    """Every judge's review of an application with its scores; conflicted ones marked
    `.excluded` (they do not count)."""
    excluded = set(Conflict.objects.filter(application=application).values_list("judge_id", flat=True)) | set(
        application.members.values_list("user_id", flat=True))
    reviews = list(Review.objects.filter(application=application).select_related("judge")
                   .prefetch_related("scores__criterion").order_by("id"))
    for review in reviews:
        review.excluded = review.judge_id in excluded
    return reviews


# --- Ranking --------------------------------------------------------------------------------------
@dataclass
class Ranked:
    """One application's standing. `totals` are the weighted totals of the counted reviews (full
    scorecards by judges expected to score it); reviews missing a criterion are not counted, and
    judges who have not scored are `missing`: never read as a zero."""

    application: Application
    totals: list[Fraction] = field(default_factory=list)
    expected: int = 0
    missing: int = 0
    incomplete: int = 0
    excluded: int = 0
    rank: int | None = None
    tied: bool = False

    @property
    def counted(self) -> int:
        return len(self.totals)

    @property
    def mean(self) -> Fraction | None:
        return sum(self.totals) / len(self.totals) if self.totals else None

    @property
    def median(self) -> Fraction | None:
        return statistics.median(self.totals) if self.totals else None


@dataclass
class Ranking:
    rows: list[Ranked]
    winners: int
    # True when the last place within `winners` is tied with the first place outside it.
    tie_at_cutoff: bool


def weighted_total(values: dict[int, int], weights: dict[int, int]) -> Fraction | None:
    """Σ weight × score / Σ weight over every criterion; None when any criterion is unscored."""
    if not weights or any(pk not in values for pk in weights):
        return None
    return Fraction(sum(weights[pk] * values[pk] for pk in weights), sum(weights.values()))


def rank(rows: list[Ranked]) -> list[Ranked]:
    """Order by weighted mean, highest first, with standard competition ranks (1, 2, 2, 4): equal
    means share a rank and are flagged `tied`, never broken silently. Unscored rows come last,
    unranked."""
    scored = sorted((r for r in rows if r.mean is not None), key=lambda r: (-r.mean, r.application.pk))
    for i, row in enumerate(scored):
        row.rank = scored[i - 1].rank if i and scored[i - 1].mean == row.mean else i + 1
        row.tied = any(other is not row and other.mean == row.mean for other in scored[max(0, i - 1):i + 2])
    unscored = sorted((r for r in rows if r.mean is None), key=lambda r: r.application.pk)
    return scored + unscored


def _panel(call: Call):
    judges = set(call.judges.values_list("pk", flat=True))
    assigned: dict[int, set[int]] = {}
    for application_id, judge_id in Assignment.objects.filter(application__call=call).values_list(
            "application_id", "judge_id"):
        assigned.setdefault(application_id, set()).add(judge_id)
    conflicts = set(Conflict.objects.filter(application__call=call).values_list("application_id", "judge_id"))
    conflicts |= set(TeamMember.objects.filter(call=call).values_list("application_id", "user_id"))
    return judges, assigned, conflicts


def _expected(application_id: int, judges, assigned, conflicts) -> set[int]:
    pool = assigned.get(application_id, set()) & judges if assigned else judges
    return {j for j in pool if (application_id, j) not in conflicts}


def ranking(call: Call) -> Ranking:
    """The submitted applications ranked by the weighted mean of their judges' totals, with the
    median beside it (a few queries, whatever the size)."""
    judges, assigned, conflicts = _panel(call)
    weights = dict(call.criteria.values_list("pk", "weight"))
    applications = list(call.applications.filter(status=Application.Status.SUBMITTED)
                        .prefetch_related("reviews__scores").order_by("id"))
    rows = []
    for application in applications:
        expected = _expected(application.pk, judges, assigned, conflicts)
        row = Ranked(application=application, expected=len(expected))
        scored = set()
        for review in application.reviews.all():
            if review.judge_id not in expected:
                row.excluded += 1
                continue
            total = weighted_total({s.criterion_id: s.value for s in review.scores.all()}, weights)
            if total is None:
                row.incomplete += 1
            else:
                row.totals.append(total)
                scored.add(review.judge_id)
        row.missing = len(expected - scored)
        rows.append(row)
    rows = rank(rows)
    scored_rows = [r for r in rows if r.rank is not None]
    cutoff = (len(scored_rows) > call.winners
              and scored_rows[call.winners - 1].rank == scored_rows[call.winners].rank)
    return Ranking(rows=rows, winners=call.winners, tie_at_cutoff=cutoff)


@dataclass
class Progress:
    judge: object
    expected: int
    scored: int
    conflicts: int

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.expected) if self.expected else 100


def judge_progress(call: Call) -> list[Progress]:
    """For each judge: applications they should score, full scorecards given, conflicts declared."""
    judges, assigned, conflicts = _panel(call)
    submitted = list(call.applications.filter(status=Application.Status.SUBMITTED).values_list("pk", flat=True))
    criteria = set(call.criteria.values_list("pk", flat=True))
    complete = set()
    for review in Review.objects.filter(application__call=call).prefetch_related("scores"):
        if criteria and criteria <= {s.criterion_id for s in review.scores.all()}:
            complete.add((review.application_id, review.judge_id))
    rows = []
    for judge in call.judges.order_by("username"):
        mine = [a for a in submitted if judge.pk in _expected(a, judges, assigned, conflicts)]
        rows.append(Progress(judge=judge, expected=len(mine), scored=sum((a, judge.pk) in complete for a in mine),
                             conflicts=sum((a, judge.pk) in conflicts for a in submitted)))
    return rows


# --- Decisions ------------------------------------------------------------------------------------
def decision_deliveries(call: Call) -> dict[int, list[Delivery]]:
    """Each application's decision emails with their status, by application id."""
    if not call.decisions_broadcast_id:
        return {}
    out: dict[int, list[Delivery]] = {}
    for delivery in Delivery.objects.filter(broadcast_id=call.decisions_broadcast_id).select_related("user"):
        application_id = int(delivery.key.removeprefix("decision:"))
        out.setdefault(application_id, []).append(delivery)
    return out
