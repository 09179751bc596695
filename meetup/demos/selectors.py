"""Reads the pages, the API and the worker share."""

from django.conf import settings

from meetup.demos.models import Demo, DemoRun
from meetup.demos.roles import can_manage_demo


def demo_of(project) -> Demo | None:
    return Demo.objects.select_related("hub_model").filter(project=project).first()


def is_allowed(demo: Demo) -> bool:
    """The allow-list: a model loads only for an enabled demo, and only if DEMO_ALLOWED_MODELS
    (when set) names its repository."""
    if not demo.enabled:
        return False
    return not settings.DEMO_ALLOWED_MODELS or demo.repo_id in settings.DEMO_ALLOWED_MODELS


def run_for(user, pk: int) -> DemoRun | None:
    """A run its author may see, and those who manage the demo; None for anyone else."""
    run = DemoRun.objects.select_related("demo__project__event", "demo__hub_model").filter(pk=pk).first()
    if run is None or not (user and user.is_authenticated):
        return None
    if run.user_id == user.pk or can_manage_demo(user, run.demo.project):
        return run
    return None
