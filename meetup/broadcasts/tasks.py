"""Celery tasks: ids in, a service call, nothing else.

Delivery runs in short tasks on the `sms` and `email` queues, at most BROADCAST_WORKERS per
channel at once (see dispatch.py). Every few seconds beat runs `tick`, which plans what is owed,
starts scheduled blasts, sweeps stale claims and starts workers for whatever is due.
"""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from meetup.broadcasts import dispatch, outbox, services


def _deliver(channel: str, slot: int) -> int:
    try:
        handled, more = outbox.outbox_work(channel=channel, budget_seconds=settings.BROADCAST_TASK_SECONDS)
    finally:
        cache.delete(dispatch.slot_key(channel, slot))
    if more:
        dispatch.kick([channel])
    return handled


@shared_task(name="broadcasts.deliver_sms", acks_late=True)
def deliver_sms(slot: int = 0) -> int:
    return _deliver("sms", slot)


@shared_task(name="broadcasts.deliver_email", acks_late=True)
def deliver_email(slot: int = 0) -> int:
    return _deliver("email", slot)


@shared_task(name="broadcasts.tick")
def tick() -> dict:
    result = {
        "rsvp_messages": services.rsvp_messages_plan(),
        "scheduled": services.broadcasts_due_send(),
        "reminders": services.reminders_plan(),
        "swept": outbox.deliveries_sweep(),
        "finished": services.broadcasts_finish(),
    }
    result["workers"] = dispatch.kick()
    return result
