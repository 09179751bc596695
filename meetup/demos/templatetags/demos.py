from django import template

from meetup.demos import selectors
from meetup.demos.forms import RunForm
from meetup.demos.roles import can_manage_demo

register = template.Library()


@register.inclusion_tag("demos/_box.html", takes_context=True)
def demo_box(context, project):
    """The "try it" box of a project page (nothing when the project has no demo and the caller
    cannot set one up)."""
    request = context["request"]
    user = request.user
    demo = selectors.demo_of(project)
    run = None
    if demo is not None and request.GET.get("run", "").isdigit():
        run = selectors.run_for(user, int(request.GET["run"]))
    return {
        "project": project, "demo": demo, "user": user, "request": request,
        "available": demo is not None and selectors.is_allowed(demo),
        "can_manage": can_manage_demo(user, project), "form": RunForm(), "run": run,
        "csrf_token": context.get("csrf_token"),
    }
