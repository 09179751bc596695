"""Celery tasks: ids in, a service call, nothing else.

Delivery runs in short tasks on the `sms` and `email` queues, at most BROADCAST_WORKERS per
channel at once (a slot in the cache each). Every few seconds beat runs `tick`, which plans what
is owed, starts scheduled blasts, sweeps stale claims and starts workers for whatever is due.
"""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache


def _slot(channel: str, index: int) -> str:
    return f"broadcasts:worker-slot:{channel}:{index}"


def kick(channels=None) -> int:
    """Start delivery tasks for the channels with messages due; returns how many were started."""
    from meetup.broadcasts.outbox import due_channels

    started = 0
    for channel in channels if channels is not None else due_channels():
        for index in range(settings.BROADCAST_WORKERS):
            # A slot outlives its task's time budget; a worker killed mid-task frees it by expiry.
            if cache.add(_slot(channel, index), 1, timeout=settings.BROADCAST_TASK_SECONDS + 10):
                DELIVER[channel].delay(index)
                started += 1
    return started


def _deliver(channel: str, slot: int) -> int:
    from meetup.broadcasts.outbox import outbox_work

    try:
        handled, more = outbox_work(channel=channel, budget_seconds=settings.BROADCAST_TASK_SECONDS)
    finally:
        cache.delete(_slot(channel, slot))
    if more:
        kick([channel])
    return handled


@shared_task(name="broadcasts.deliver_sms", acks_late=True)
def deliver_sms(slot: int = 0) -> int:
    return _deliver("sms", slot)


@shared_task(name="broadcasts.deliver_email", acks_late=True)
def deliver_email(slot: int = 0) -> int:
    return _deliver("email", slot)


DELIVER = {"sms": deliver_sms, "email": deliver_email}


@shared_task(name="broadcasts.tick")
def tick() -> dict:
    from meetup.broadcasts import outbox, services

    result = {
        "rsvp_messages": services.rsvp_messages_plan(),
        "scheduled": services.broadcasts_due_send(),
        "swept": outbox.deliveries_sweep(),
        "finished": services.broadcasts_finish(),
    }
    result["workers"] = kick()
    return result
