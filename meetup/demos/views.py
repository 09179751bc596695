from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetup.demos import selectors, services
from meetup.demos.forms import DemoForm, RunForm
from meetup.demos.roles import can_manage_demo
from meetup.lib.errors import Refused
from meetup.lib.forms import add_errors
from meetup.lib.net import client_ip
from meetup.showcase import access
from meetup.showcase.models import ProjectLink


def _run_partial(request, run, *, status=200, error=""):
    return render(request, "demos/_run.html", {"run": run, "error": error}, status=status)


@login_required
@require_POST
def run_create(request, slug: str):
    """Queue a run from the project page; htmx swaps in the run, which then polls itself."""
    project = access.visible_project(request, slug)
    demo = selectors.demo_of(project)
    if demo is None:
        raise Http404(_("This project has no demo."))
    back = reverse("project_detail", args=[slug]) + "#demo"
    form = RunForm(request.POST)
    text = form.data.get("input", "")
    try:
        run = services.demo_run_create(demo=demo, user=request.user, ip=client_ip(request), text=text)
    except (Refused, ValidationError) as exc:
        error = exc.detail if isinstance(exc, Refused) else " ".join(exc.message_dict.get("input", exc.messages))
        status = exc.status if isinstance(exc, Refused) else 400
        if request.headers.get("HX-Request"):
            return _run_partial(request, None, status=status, error=error)
        messages.error(request, error)
        return redirect(back)
    if request.headers.get("HX-Request"):
        return _run_partial(request, run, status=202)
    return redirect(f"{reverse('project_detail', args=[slug])}?run={run.pk}#demo")


@login_required
def run_detail(request, pk: int):
    """One run as a fragment: htmx polls it until it is done, failed or timed out."""
    run = selectors.run_for(request.user, pk)
    if run is None:
        raise Http404(_("No such demo run."))
    return _run_partial(request, run)


@login_required
def demo_setup(request, slug: str):
    project = access.visible_project(request, slug)
    if not can_manage_demo(request.user, project):
        raise PermissionDenied(_("Only the event's organisers can set up a demo."))
    demo = selectors.demo_of(project)
    models = list(project.links.filter(status=ProjectLink.Status.LINKED, repo_type="model")
                  .values_list("hub_model__repo_id", flat=True))
    initial = {"repo_id": demo.repo_id, "task": demo.task, "revision": demo.revision, "enabled": demo.enabled,
               "max_input_chars": demo.max_input_chars, "max_new_tokens": demo.max_new_tokens} if demo else {}
    form = DemoForm(request.POST or None, initial=initial, models=models)
    if request.method == "POST" and form.is_valid():
        try:
            services.demo_configure(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Demo saved. Run `manage.py prefetch_demo_models` before the event."))
            return redirect(reverse("project_detail", args=[slug]) + "#demo")
    return render(request, "demos/setup.html", {"form": form, "project": project, "demo": demo,
                                                "no_models": not models})
