from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetup.accounts.roles import is_organiser
from meetup.broadcasts.selectors import broadcast_counts
from meetup.lib.errors import Refused
from meetup.lib.forms import add_errors, bind_in_zone
from meetup.program import access, selectors, services
from meetup.program.forms import ApplicationForm, CallForm, ConflictForm, ReviewForm
from meetup.program.models import Application, TeamInvitation
from meetup.program.roles import can_manage_call, is_judge


# --- Everyone -------------------------------------------------------------------------------------
def program_home(request):
    user = request.user
    return render(request, "program/home.html", {
        "calls": selectors.calls_listed(),
        "applications": selectors.applications_of(user) if user.is_authenticated else [],
        "invitations": selectors.invitations_for(user),
        "judging": selectors.calls_judged_by(user),
        "managing": selectors.calls_managed_by(user),
        "can_create": is_organiser(user),
    })


def call_detail(request, slug: str):
    call = access.visible_call(request, slug)
    return render(request, "program/call.html", {
        "call": call, "now": timezone.now(), "is_open": call.is_open_at(timezone.now()),
        "application": selectors.application_of(request.user, call),
        "is_judge": is_judge(request.user, call), "can_manage": can_manage_call(request.user, call),
    })


# --- Applicants -----------------------------------------------------------------------------------
@login_required
def apply(request, slug: str):
    """Start or edit the caller's application to this call; "save" keeps a draft, "submit" submits."""
    call = access.visible_call(request, slug)
    application = selectors.application_of(request.user, call)
    initial = ApplicationForm.initial_for(application) if application else {}
    form = ApplicationForm(request.POST or None, call=call, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            if application is None:
                application = services.application_create(call=call, user=request.user, submit=submit,
                                                          **form.service_data())
            else:
                application = services.application_update(application=application, user=request.user,
                                                          submit=submit, **form.service_data())
        except ValidationError as exc:
            add_errors(form, exc)
        except (Refused, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "detail", str(exc)))
        else:
            messages.success(request, _("Application submitted.") if submit else _("Draft saved."))
            return redirect("program_application", pk=application.pk)
    return render(request, "program/apply.html", {
        "call": call, "form": form, "application": application, "is_open": call.is_open_at(timezone.now())},
        status=400 if form.errors else 200)


@login_required
def application_detail(request, pk: int):
    """The applicant's view (status, and the decision once sent) or the organisers' (with the
    panel's reviews); judges go to their scorecard."""
    application, role = access.application_role(request, pk)
    if role == "judge":
        return redirect("program_review", pk=pk)
    call = application.call
    context = {"application": application, "call": call, "role": role, "is_open": call.is_open_at(timezone.now()),
               "decision": selectors.visible_decision(application)}
    if role == "organiser":
        context["reviews"] = selectors.panel_reviews(application)
    return render(request, "program/application.html", context)


@login_required
@require_POST
def application_status(request, pk: int, action: str):
    application = access.own_application(request, pk)
    change = services.application_withdraw if action == "withdraw" else services.application_submit
    try:
        change(application=application, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Application withdrawn.") if action == "withdraw" else _("Application submitted."))
    return redirect("program_application", pk=pk)


@login_required
@require_POST
def invitation_answer(request, pk: int, action: str):
    """Accept or decline an invitation to an application's team."""
    try:
        services.team_invitation_respond(invitation=TeamInvitation(pk=pk), user=request.user,
                                         accept=action == "accept")
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("You joined the team.") if action == "accept" else _("Invitation declined."))
    return redirect("program_home")


# --- Judges ---------------------------------------------------------------------------------------
@login_required
def judge_queue(request, slug: str):
    call = access.judged_call(request, slug)
    applications = list(selectors.judge_applications(call, request.user))
    for application in applications:
        application.scored = selectors.has_scored(application, request.user)
    return render(request, "program/queue.html", {
        "call": call, "applications": applications, "scored": sum(a.scored for a in applications)})


@login_required
def review(request, pk: int):
    """The judge's scorecard; the other judges' scores appear once the caller has scored."""
    application = access.judged_application(request, pk)
    call = application.call
    own = selectors.review_of(application, request.user)
    form = ReviewForm(request.POST or None, criteria=call.criteria.all(), initial=ReviewForm.initial_for(own))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(application=application, judge=request.user, scores=form.scores(),
                                 comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            add_errors(form, exc)
        except Refused as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Scores saved."))
            return redirect("program_review", pk=pk)
    scored = selectors.has_scored(application, request.user)
    others = [r for r in selectors.panel_reviews(application) if r.judge_id != request.user.pk and not r.excluded]
    return render(request, "program/review.html", {
        "application": application, "call": call, "form": form, "conflict_form": ConflictForm(),
        "scored": scored, "others": others if scored else [], "others_count": len(others),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def conflict(request, pk: int):
    application = access.judged_application(request, pk)
    form = ConflictForm(request.POST)
    form.is_valid()
    services.conflict_declare(application=application, judge=request.user,
                              reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Conflict declared: this application has left your queue and your scores for it "
                                "do not count."))
    return redirect("program_queue", slug=application.call.slug)


# --- Organisers -----------------------------------------------------------------------------------
@login_required
def call_create(request):
    access.require_organiser(request)
    form, valid, tzname = bind_in_zone(request, CallForm)
    if valid:
        try:
            call = services.call_create(organiser=request.user, **form.service_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Call created."))
            return redirect("program_call", slug=call.slug)
    with timezone.override(tzname):
        return render(request, "program/call_form.html", {"form": form, "title": _("New program call")})


@login_required
def call_edit(request, slug: str):
    call = access.managed_call(request, slug)
    form, valid, tzname = bind_in_zone(request, CallForm, instance=call)
    if valid:
        data = form.service_data()
        data.pop("slug", None)
        try:
            services.call_update(call=call, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        except Refused as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Call saved."))
            return redirect("program_manage", slug=call.slug)
    with timezone.override(tzname):
        title = _("Edit %(title)s") % {"title": call.title}
        return render(request, "program/call_form.html", {"form": form, "title": title, "call": call})


@login_required
def manage(request, slug: str):
    """Ranking with ties flagged, shortlist and decisions, the panel's progress, the notice."""
    call = access.managed_call(request, slug)
    result = selectors.ranking(call)
    deliveries = selectors.decision_deliveries(call)
    for row in result.rows:
        row.deliveries = deliveries.get(row.application.pk, [])
    accepted = sum(r.application.decision == Application.Decision.ACCEPTED for r in result.rows)
    return render(request, "program/manage.html", {
        "call": call, "ranking": result, "progress": selectors.judge_progress(call), "accepted": accepted,
        "undecided": sum(not r.application.decision for r in result.rows),
        "closed": timezone.now() >= call.closes_at,
        "counts": broadcast_counts(call.decisions_broadcast) if call.decisions_broadcast_id else None,
        "others": call.applications.exclude(status=Application.Status.SUBMITTED).order_by("id"),
    })


def _decided(request, slug: str, action, message=None):
    """Run an organiser's decision step; refusals become messages on the manage page.
    `message(result)` says what happened."""
    try:
        result = action()
    except Refused as exc:
        messages.error(request, exc.detail)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        if message:
            messages.success(request, message(result))
    return redirect("program_manage", slug=slug)


@login_required
@require_POST
def decide(request, pk: int):
    """Shortlist (`shortlisted=1|0`) or stage a decision (`decision=accepted|declined|`)."""
    application = access.managed_application(request, pk)
    if "shortlisted" in request.POST:
        return _decided(request, application.call.slug, lambda: services.shortlist_set(
            application=application, shortlisted=request.POST["shortlisted"] == "1"))
    return _decided(request, application.call.slug, lambda: services.decision_stage(
        application=application, decision=request.POST.get("decision", "")))


@login_required
@require_POST
def decline_rest(request, slug: str):
    call = access.managed_call(request, slug)
    return _decided(request, slug, lambda: services.decisions_decline_rest(call=call),
                    lambda n: _("%(count)s applications declined (not sent yet).") % {"count": n})


@login_required
@require_POST
def notify(request, slug: str):
    call = access.managed_call(request, slug)
    return _decided(request, slug, lambda: services.decisions_notify(call=call, by=request.user),
                    lambda n: _("%(count)s decision emails queued.") % {"count": n} if n
                    else _("Every applicant has been told already."))


@login_required
def assignments(request, slug: str):
    """Which judge scores which application; none at all means every judge scores everything."""
    call = access.managed_call(request, slug)
    applications = list(call.applications.filter(status=Application.Status.SUBMITTED).order_by("id"))
    judges = list(call.judges.order_by("username"))
    if request.method == "POST":
        pairs = [(a.pk, j.pk) for a in applications for j in judges if f"a{a.pk}-j{j.pk}" in request.POST]
        try:
            count = services.assignments_set(call=call, pairs=pairs)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            messages.success(request, _("%(count)s assignments saved.") % {
                "count": count} if count else _("No assignments: every judge scores every application."))
            return redirect("program_manage", slug=slug)
    taken = {(a, j) for a, j in call.applications.filter(assignments__isnull=False)
             .values_list("pk", "assignments__judge_id")}
    rows = [(a, [(j, (a.pk, j.pk) in taken) for j in judges]) for a in applications]
    return render(request, "program/assignments.html", {"call": call, "judges": judges, "rows": rows})
