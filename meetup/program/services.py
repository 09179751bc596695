"""Every write of the startup program: calls, applications (until the deadline), judging,
decisions and the decision notice.

Deadline rule: an application changes only while `opens_at <= now < closes_at`, with `now` read
inside the transaction that holds the application's row; at `closes_at` exactly it is closed.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.broadcasts.models import Broadcast
from meetup.broadcasts.services import automatic_send, deliveries_enqueue
from meetup.lib.errors import Refused
from meetup.lib.invitations import pending_for
from meetup.lib.limits import refuse_over
from meetup.lib.slugs import unique_slug
from meetup.program import selectors
from meetup.program.models import (
    SCORE_MAX,
    SCORE_MIN,
    Application,
    Assignment,
    Call,
    Conflict,
    Criterion,
    Question,
    Review,
    Score,
    TeamInvitation,
    TeamMember,
)
from meetup.program.roles import is_judge
from meetup.showcase.models import Project, Visibility
from meetup.showcase.services import hub_refs_parse

MAX_TEAM = 12
MAX_PROJECTS = 5
MAX_HUB_LINKS = 5
MAX_ANSWER = 5000
MAX_PITCH = 20_000
MAX_COMMENT = 5000


def _users(usernames, field: str) -> list:
    names = [n.strip().lstrip("@") for n in usernames if n and n.strip()]
    users = list(get_user_model().objects.filter(username__in=names, is_active=True))
    unknown = sorted(set(names) - {u.username for u in users})
    if unknown:
        raise ValidationError({field: [_("No member with the username %(value)s.") % {"value": ', '.join(unknown)}]})
    return users


def _validated(obj, exclude=()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


# --- Calls ----------------------------------------------------------------------------------------
def _unique_slug(title: str) -> str:
    return unique_slug(Call, title, fallback="call", max_length=140)


def _call_checked(call: Call) -> None:
    _validated(call, exclude=["slug", "decisions_broadcast"])
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        raise ValidationError({"closes_at": [_("Close it after it opens.")]})


def _questions_set(call: Call, texts) -> None:
    texts = [t.strip() for t in texts if t and t.strip()]
    if any(len(t) > 300 for t in texts):
        raise ValidationError({"questions": [_("Keep each question under 300 characters.")]})
    existing = list(call.questions.all())
    for position, text in enumerate(texts):
        if position < len(existing):
            question = existing[position]
            if (question.text, question.position) != (text, position):
                question.text, question.position = text, position
                question.save(update_fields=["text", "position"])
        else:
            Question.objects.create(call=call, text=text, position=position)
    # Answers are keyed by question id; removed questions' answers are simply no longer shown.
    Question.objects.filter(pk__in=[q.pk for q in existing[len(texts):]]).delete()


def _criteria_set(call: Call, criteria) -> None:
    rows = [(name.strip(), weight) for name, weight in criteria if name and name.strip()]
    errors = [_("%(name)s: the weight must be a whole number from 1 to 100.") % {"name": name} for name, weight in rows
              if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 100]
    if any(len(name) > 120 for name, _unused in rows):
        errors.append(_("Keep each criterion's name under 120 characters."))
    if errors:
        raise ValidationError({"criteria": errors})
    existing = list(call.criteria.all())
    for position, (name, weight) in enumerate(rows):
        if position < len(existing):
            criterion = existing[position]
            criterion.name, criterion.weight, criterion.position = name, weight, position
            criterion.save(update_fields=["name", "weight", "position"])
        else:
            Criterion.objects.create(call=call, name=name, weight=weight, position=position)
    Criterion.objects.filter(pk__in=[c.pk for c in existing[len(rows):]]).delete()


def call_create(*, organiser, title: str, opens_at: datetime, closes_at: datetime, timezone: str = "UTC",
                description: str = "", winners: int = 5, anonymised: bool = False, slug: str | None = None,
                questions=(), criteria=(), judges=(), organisers=()) -> Call:
    """A new call; its creator becomes its first organiser. `questions` are texts, `criteria`
    (name, weight) pairs, `judges` and `organisers` usernames. Raises ValidationError by field."""
    call = Call(title=title, slug=slug or "", description=description, opens_at=opens_at, closes_at=closes_at,
                timezone=timezone, winners=winners, anonymised=anonymised)
    _call_checked(call)
    if slug:
        _validated(call, exclude=[f.name for f in Call._meta.fields if f.name != "slug"])
    panel = _users(judges, "judges")
    others = _users(organisers, "organisers")
    with transaction.atomic():
        call.slug = slug or _unique_slug(title)
        try:
            with transaction.atomic():
                call.save()
        except IntegrityError:
            raise ValidationError({"slug": [_("Another call has this address.")]}) from None
        call.organisers.set({organiser, *others})
        call.judges.set(panel)
        _questions_set(call, questions)
        _criteria_set(call, criteria)
    return call


CALL_EDITABLE = {"title", "description", "opens_at", "closes_at", "timezone", "winners", "anonymised"}


def call_update(*, call: Call, questions=None, criteria=None, judges=None, organisers=None, **changes) -> Call:
    """Change a call. Lowering `winners` below the applications already accepted is refused;
    nothing changes once the decisions have been sent, except the anonymised switch."""
    unknown = set(changes) - CALL_EDITABLE
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    for name, value in changes.items():
        setattr(call, name, value)
    _call_checked(call)
    panel = _users(judges, "judges") if judges is not None else None
    others = _users(organisers, "organisers") if organisers is not None else None
    if others is not None and not others:
        raise ValidationError({"organisers": [_("A call needs at least one organiser.")]})
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        accepted = call.applications.filter(decision=Application.Decision.ACCEPTED).count()
        if call.winners < accepted:
            message = _("%(accepted)s applications are accepted already; un-accept some first.")
            raise ValidationError({"winners": [message % {"accepted": accepted}]})
        if locked.decisions_sent_at and (set(changes) - {"anonymised"} or criteria is not None):
            raise Refused("decided", _("The decisions have been sent; this call can no longer change."))
        call.save()
        if others is not None:
            call.organisers.set(others)
        if panel is not None:
            call.judges.set(panel)
        if questions is not None:
            _questions_set(call, questions)
        if criteria is not None:
            _criteria_set(call, criteria)
    return call


# --- Applications ---------------------------------------------------------------------------------
def _refuse_unless_open(call: Call) -> None:
    """The deadline, to the second: call inside the transaction that writes."""
    now = timezone.now()
    if now < call.opens_at:
        raise Refused("not_open", _("Applications for this call are not open yet."), status=409)
    if now >= call.closes_at:
        raise Refused("closed", _("Applications for this call are closed: the deadline has passed."), status=409)


def _hub_links(values) -> list[str]:
    return [ref.path for ref in hub_refs_parse(values, limit=MAX_HUB_LINKS)]


def _projects(slugs) -> list[Project]:
    slugs = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    if len(slugs) > MAX_PROJECTS:
        raise ValidationError({"projects": [_("Link at most %(max_projects)s projects.") % {
            "max_projects": MAX_PROJECTS}]})
    projects = list(Project.objects.filter(slug__in=slugs, visibility=Visibility.VISIBLE))
    unknown = sorted(set(slugs) - {p.slug for p in projects})
    if unknown:
        raise ValidationError({"projects": [_("No project with the address %(value)s.") % {
            "value": ', '.join(unknown)}]})
    return projects


def _answers(call: Call, answers) -> dict[str, str]:
    if not isinstance(answers, dict):
        raise ValidationError({"answers": [_("Give answers as an object keyed by question id.")]})
    ids = {str(pk) for pk in call.questions.values_list("pk", flat=True)}
    errors, clean = [], {}
    for key, text in answers.items():
        if str(key) not in ids:
            errors.append(_("This call has no question %(key)s.") % {"key": key})
        elif not isinstance(text, str):
            errors.append(_("The answer to question %(key)s must be text.") % {"key": key})
        elif len(text) > MAX_ANSWER:
            errors.append(_("Keep the answer to question %(key)s under %(max_answer)s characters.") % {
                "key": key, "max_answer": format(MAX_ANSWER, ',')})
        elif text.strip():
            clean[str(key)] = text.strip()
    if errors:
        raise ValidationError({"answers": errors})
    return clean


def _checked_fields(*, startup_name=None, pitch=None) -> None:
    errors = {}
    if startup_name is not None and not (0 < len(startup_name.strip()) <= 120):
        errors["startup_name"] = [_("Give the startup's name (up to 120 characters).")]
    if pitch is not None and len(pitch) > MAX_PITCH:
        errors["pitch"] = [_("Keep the pitch under %(max_pitch)s characters.") % {"max_pitch": format(MAX_PITCH, ',')}]
    if errors:
        raise ValidationError(errors)


def _completeness(application: Application) -> None:
    """What a submitted application must have: a pitch and every question answered."""
    errors = {}
    if not application.pitch.strip():
        errors["pitch"] = [_("Write a pitch before submitting.")]
    missing = [q.text for q in application.call.questions.all() if not application.answers.get(str(q.pk))]
    if missing:
        errors["answers"] = [_("Answer every question before submitting: %(value)s") % {"value": '; '.join(missing)}]
    if errors:
        raise ValidationError(errors)


def _team_set(application: Application, members, *, actor) -> None:
    """Make `members` (besides the creator, who is always on it) the team: people no longer listed
    leave it, and people newly listed are invited, never added. Judges of the call cannot be
    invited, so a team change never changes who judges."""
    creator_id = application.created_by_id
    wanted = {m.pk for m in members} | {creator_id}
    now = timezone.now()
    leaving = TeamMember.objects.filter(application=application).exclude(user_id__in=wanted)
    judging = leaving.filter(user__in=application.call.judges.all()).select_related("user")
    if judging:
        names = ", ".join(sorted(m.user.username for m in judging))
        raise ValidationError({"team": [_("Judges of this call stay on the teams they are on: %(names)s.") % {
            "names": names}]})
    leaving.delete()
    TeamInvitation.objects.filter(application=application, status=TeamInvitation.Status.PENDING).exclude(
        user_id__in=wanted).update(status=TeamInvitation.Status.REVOKED, responded_at=now)
    have = set(application.members.values_list("user_id", flat=True)) | set(
        application.invitations.filter(status=TeamInvitation.Status.PENDING).values_list("user_id", flat=True))
    new = [m for m in members if m.pk not in have and m.pk != creator_id]
    judges = set(application.call.judges.filter(pk__in=[m.pk for m in new]).values_list("pk", flat=True))
    if judges:
        names = ", ".join(sorted(m.username for m in new if m.pk in judges))
        raise ValidationError({"team": [_("Judges of this call cannot join an application: %(names)s.") % {
            "names": names}]})
    if creator_id not in have:
        try:
            with transaction.atomic():
                TeamMember.objects.create(application=application, user_id=creator_id, call_id=application.call_id)
        except IntegrityError:
            raise Refused("already_applied",
                          _("You are already on an application to this call; edit that one.")) from None
    if new:
        refuse_over("team-invite", actor.pk, n=len(new))
        invitations = TeamInvitation.objects.bulk_create([
            TeamInvitation(application=application, user=m, invited_by=actor) for m in new])
        automatic_send(kind=Broadcast.Kind.PROGRAM_TEAM, messages=[
            (invitation.user_id, f"program-invitation:{invitation.pk}", "program-team-invitation")
            for invitation in invitations])


def team_invitation_respond(*, invitation: TeamInvitation, user, accept: bool) -> TeamInvitation:
    """Accept or decline an invitation to an application's team, as the person invited. Accepting
    needs the call open, the person not a judge of it and on no other application to it."""
    with transaction.atomic():
        locked = pending_for(TeamInvitation.objects.select_related("application__call"), pk=invitation.pk, user=user)
        application = locked.application
        if accept:
            _refuse_unless_open(application.call)
            if is_judge(user, application.call):
                raise Refused("judge", _("You judge this call, so you cannot join an application to it."))
            if application.status == Application.Status.WITHDRAWN:
                raise Refused("withdrawn", _("This application is withdrawn."))
            if application.members.count() >= MAX_TEAM:
                raise Refused("team_full", _("This team has %(max_team)s members already.") % {"max_team": MAX_TEAM})
            try:
                with transaction.atomic():
                    TeamMember.objects.create(application=application, user=user, call_id=application.call_id)
            except IntegrityError:
                raise Refused("already_applied",
                              _("You are on another application to this call; leave it first.")) from None
        locked.status = TeamInvitation.Status.ACCEPTED if accept else TeamInvitation.Status.DECLINED
        locked.responded_at = timezone.now()
        locked.save(update_fields=["status", "responded_at"])
    return locked


def application_create(*, call: Call, user, startup_name: str, pitch: str = "", team=(), projects=(), hub_links=(),
                       answers=None, submit: bool = False) -> Application:
    """An application by `user` (its first team member), as a draft or submitted. Each person is on
    at most one application per call: refused (ValidationError on `team`) otherwise. Only while
    the call is open."""
    _checked_fields(startup_name=startup_name, pitch=pitch)
    members = _users(team, "team")
    if len(members) + 1 > MAX_TEAM:
        raise ValidationError({"team": [_("At most %(max_team)s team members.") % {"max_team": MAX_TEAM}]})
    linked = _projects(projects)
    paths = _hub_links(hub_links)
    clean = _answers(call, answers or {})
    with transaction.atomic():
        _refuse_unless_open(call)
        if TeamMember.objects.filter(call=call, user=user).exists():
            raise Refused("already_applied", _("You are already on an application to this call; edit that one."))
        application = Application(call=call, created_by=user, startup_name=startup_name.strip(), pitch=pitch,
                                  hub_links=paths, answers=clean)
        if submit:
            _completeness(application)
            application.status, application.submitted_at = Application.Status.SUBMITTED, timezone.now()
        application.save()
        _team_set(application, [m for m in members if m.pk != user.pk], actor=user)
        application.projects.set(linked)
    return application


APPLICATION_EDITABLE = {"startup_name", "pitch", "team", "projects", "hub_links", "answers"}


def _locked_open(application: Application, user) -> Application:
    """The application's row, locked, checked against the deadline and its team."""
    locked = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    if not locked.members.filter(user=user).exists():
        raise PermissionDenied(_("Only the application's team can change it."))
    _refuse_unless_open(locked.call)
    return locked


def application_update(*, application: Application, user, submit: bool = False, **changes) -> Application:
    """Change an application (any team member) while the call is open; the creator stays on the
    team. `submit` submits it too. Refused with `closed` from the deadline on; nothing is saved."""
    unknown = set(changes) - APPLICATION_EDITABLE
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    call = application.call
    _checked_fields(startup_name=changes.get("startup_name"), pitch=changes.get("pitch"))
    members = _users(changes.pop("team"), "team") if "team" in changes else None
    if members is not None and len(members) + 1 > MAX_TEAM:
        raise ValidationError({"team": [_("At most %(max_team)s team members.") % {"max_team": MAX_TEAM}]})
    linked = _projects(changes.pop("projects")) if "projects" in changes else None
    if "hub_links" in changes:
        changes["hub_links"] = _hub_links(changes["hub_links"])
    if "answers" in changes:
        changes["answers"] = _answers(call, changes["answers"])
    if "startup_name" in changes:
        changes["startup_name"] = changes["startup_name"].strip()
    with transaction.atomic():
        locked = _locked_open(application, user)
        if locked.status == Application.Status.WITHDRAWN and not submit:
            raise Refused("withdrawn", _("This application is withdrawn; submit it again to change it."))
        for name, value in changes.items():
            setattr(locked, name, value)
        if submit:
            _completeness(locked)
            if locked.status != Application.Status.SUBMITTED:
                locked.status, locked.submitted_at = Application.Status.SUBMITTED, timezone.now()
        locked.save()
        if members is not None:
            _team_set(locked, [m for m in members if m.pk != locked.created_by_id], actor=user)
        if linked is not None:
            locked.projects.set(linked)
    return locked


def application_submit(*, application: Application, user) -> Application:
    """Submit (or re-submit a withdrawn) application while the call is open."""
    return application_update(application=application, user=user, submit=True)


def application_withdraw(*, application: Application, user) -> Application:
    """Withdraw while the call is open; it can be submitted again until the deadline."""
    with transaction.atomic():
        locked = _locked_open(application, user)
        locked.status = Application.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
    return locked


# --- Judging --------------------------------------------------------------------------------------
def _judging(application: Application, judge) -> None:
    if not (is_judge(judge, application.call) and selectors.visible_to_judge(application, judge)):
        raise PermissionDenied(_("You are not judging this application."))
    if application.call.decisions_sent_at:
        raise Refused("decided", _("The decisions have been sent; scores can no longer change."))


def conflict_declare(*, application: Application, judge, reason: str = "") -> Conflict:
    """The judge steps away from this application: it is hidden from them from now on and their
    scores no longer count. Declaring it again changes nothing."""
    if not is_judge(judge, application.call):
        raise PermissionDenied(_("Only the call's judges declare conflicts."))
    if len(reason or "") > 300:
        raise ValidationError({"reason": [_("Keep it under 300 characters.")]})
    conflict, _created = Conflict.objects.get_or_create(application=application, judge=judge,
                                                 defaults={"reason": (reason or "").strip()})
    return conflict


def review_save(*, application: Application, judge, scores: dict, comment: str = "") -> Review:
    """The judge's full scorecard: a score from SCORE_MIN to SCORE_MAX for every criterion of the
    call (keyed by criterion id) and a comment. Saving again replaces it."""
    _judging(application, judge)
    criteria = {c.pk: c for c in application.call.criteria.all()}
    if not isinstance(scores, dict):
        raise ValidationError({"scores": [_("Give scores keyed by criterion id.")]})
    errors, values, named = [], {}, set()
    for key, value in scores.items():
        pk = int(key) if str(key).isdigit() else None
        if pk not in criteria:
            errors.append(_("This call has no criterion %(key)s.") % {"key": key})
            continue
        named.add(pk)
        if not isinstance(value, int) or isinstance(value, bool) or not SCORE_MIN <= value <= SCORE_MAX:
            errors.append(_("%(name)s: score it from %(score_min)s to %(score_max)s.") % {
                "name": criteria[pk].name, "score_min": SCORE_MIN, "score_max": SCORE_MAX})
        else:
            values[pk] = value
    missing = [c.name for pk, c in criteria.items() if pk not in named]
    if missing:
        errors.append(_("Score every criterion: %(value)s missing.") % {"value": ', '.join(missing)})
    if not criteria:
        errors.append(_("This call has no criteria to score yet."))
    if errors:
        raise ValidationError({"scores": errors})
    if len(comment or "") > MAX_COMMENT:
        raise ValidationError({"comment": [_("Keep the comment under %(max_comment)s characters.") % {
            "max_comment": format(MAX_COMMENT, ',')}]})
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(application=application, judge=judge,
                                                    defaults={"comment": (comment or "").strip()})
        review.scores.exclude(criterion_id__in=values).delete()
        for pk, value in values.items():
            Score.objects.update_or_create(review=review, criterion_id=pk, defaults={"value": value})
    return review


def assignments_set(*, call: Call, pairs) -> int:
    """Replace the call's assignments with (application id, judge id) pairs; pairs naming an
    application of another call or someone off the panel are refused. Returns how many."""
    pairs = {(int(a), int(j)) for a, j in pairs}
    applications = set(call.applications.values_list("pk", flat=True))
    judges = set(call.judges.values_list("pk", flat=True))
    if any(a not in applications or j not in judges for a, j in pairs):
        raise ValidationError({"assignments": [_("Assign this call's applications to its judges only.")]})
    with transaction.atomic():
        Assignment.objects.filter(application__call=call).delete()
        Assignment.objects.bulk_create([Assignment(application_id=a, judge_id=j) for a, j in sorted(pairs)])
    return len(pairs)


# --- Decisions ------------------------------------------------------------------------------------
def _deciding(call: Call) -> Call:
    """The call's row, locked: decisions are staged one at a time, after the deadline, before
    they are sent."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if timezone.now() < locked.closes_at:
        raise Refused("still_open", _("Applications are still open; decide after the deadline."))
    if locked.decisions_sent_at:
        raise Refused("decided", _("The decisions have been sent already."))
    return locked


def shortlist_set(*, application: Application, shortlisted: bool) -> Application:
    with transaction.atomic():
        _deciding(application.call)
        if application.status != Application.Status.SUBMITTED:
            raise Refused("not_submitted", _("Only submitted applications can be shortlisted."))
        Application.objects.filter(pk=application.pk).update(shortlisted=shortlisted)
        application.shortlisted = shortlisted
    return application


def decision_stage(*, application: Application, decision: str) -> Application:
    """Stage `accepted`, `declined` or "" (undecided). At most `call.winners` are accepted: the
    call's row is locked while counting, so racing organisers cannot exceed it."""
    if decision not in Application.Decision.values:
        raise ValidationError({"decision": [_("Choose accepted, declined or nothing.")]})
    with transaction.atomic():
        call = _deciding(application.call)
        if application.status != Application.Status.SUBMITTED:
            raise Refused("not_submitted", _("Only submitted applications get a decision."))
        if decision == Application.Decision.ACCEPTED:
            accepted = call.applications.filter(decision=Application.Decision.ACCEPTED).exclude(
                pk=application.pk).count()
            if accepted >= call.winners:
                raise Refused("too_many_winners",
                              _("This call accepts at most %(winners)s; un-accept another application first.") % {
                                  "winners": call.winners})
        Application.objects.filter(pk=application.pk).update(decision=decision)
        application.decision = decision
    return application


def decisions_decline_rest(*, call: Call) -> int:
    """Stage `declined` for every submitted application still undecided. Returns how many."""
    with transaction.atomic():
        _deciding(call)
        return call.applications.filter(status=Application.Status.SUBMITTED,
                                        decision=Application.Decision.NONE).update(
            decision=Application.Decision.DECLINED)


def decisions_notify(*, call: Call, by=None) -> int:
    """Tell every applicant (each team member of each submitted application) their decision by
    email, all at once, through the call's decision broadcast. Every submitted application needs
    a decision first. Triggering it again (or concurrently) adds nothing: each message's key is
    unique per application and person. Returns how many messages were queued now."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if timezone.now() < locked.closes_at:
            raise Refused("still_open", _("Applications are still open; decide after the deadline."))
        submitted = locked.applications.filter(status=Application.Status.SUBMITTED)
        undecided = submitted.filter(decision=Application.Decision.NONE).count()
        if undecided:
            raise Refused("undecided", _("%(undecided)s submitted applications have no decision yet.") % {
                "undecided": undecided})
        if submitted.filter(decision=Application.Decision.ACCEPTED).count() > locked.winners:
            raise Refused("too_many_winners", _("This call accepts at most %(winners)s.") % {"winners": locked.winners})
        if locked.decisions_broadcast_id is None:
            broadcast = Broadcast.objects.create(
                kind=Broadcast.Kind.PROGRAM, channels=Broadcast.Channels.EMAIL, status=Broadcast.Status.SENDING,
                subject=f"Decisions: {locked.title}"[:200], created_by=by, planned_at=timezone.now())
            locked.decisions_broadcast, locked.decisions_sent_at = broadcast, timezone.now()
            locked.save(update_fields=["decisions_broadcast", "decisions_sent_at"])
        messages = [(user_id, f"decision:{application_id}", decision) for application_id, user_id, decision in
                    TeamMember.objects.filter(application__in=submitted)
                    .values_list("application_id", "user_id", "application__decision").order_by("id")]
        added = deliveries_enqueue(broadcast=locked.decisions_broadcast, messages=messages)
    call.decisions_broadcast_id, call.decisions_sent_at = locked.decisions_broadcast_id, locked.decisions_sent_at
    return added
