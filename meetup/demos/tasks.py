"""Celery tasks: ids in, a service call. `run_demo` goes to the gpu queue; nothing here imports
torch, so the worker's parent process never touches CUDA (the child loads models lazily)."""

import uuid

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext_noop

from meetup.demos import services


class DemoTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Whatever ended the task, the runs it took do not stay running. A hard time limit lands
        here in the worker's parent process, after its child was killed."""
        if isinstance(exc, TimeLimitExceeded | SoftTimeLimitExceeded):
            services.demo_runs_time_out(claimed_by=task_id)
        else:
            services.demo_runs_fail(claimed_by=task_id,
                                    error=gettext_noop("Something went wrong while running the model."))


@shared_task(name="demos.run", bind=True, base=DemoTask, acks_late=True,
             soft_time_limit=settings.DEMO_SOFT_TIME_LIMIT, time_limit=settings.DEMO_HARD_TIME_LIMIT)
def run_demo(self, run_id: int) -> str:
    """Run a queued demo run, batched with others of its model waiting now."""
    claimed_by = self.request.id or uuid.uuid4().hex
    try:
        return services.demo_batch_run(run_id=run_id, claimed_by=claimed_by)
    except SoftTimeLimitExceeded:
        services.demo_runs_time_out(claimed_by=claimed_by)
        return "timed_out"


@shared_task(name="demos.sweep")
def sweep() -> dict:
    """Run by beat: runs left running by a dead worker, or queued with no worker, are ended."""
    return services.demo_runs_sweep()
