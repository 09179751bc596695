"""Enqueueing Celery tasks from services, by name: services never import tasks (tasks import
services), so there is no circle of files, and a broker outage never fails the caller."""

from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args, **options) -> None:
    """Send the task named `task_name` now. Routing to its queue comes from CELERY_TASK_ROUTES;
    `options` are send_task's (countdown, time limits)."""
    current_app.send_task(task_name, args=list(args), **options)


def enqueue_on_commit(task_name: str, *args, **options) -> None:
    """Send the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task_name, *args, **options), robust=True)
