"""Starting delivery workers: the one place that enqueues the broadcasts app's tasks.

Services call `kick_on_commit` after writing outbox rows; tasks call `kick` to hand over. Tasks are
sent by name, so nothing here imports tasks.py, and tasks.py may import anything below it.

At most BROADCAST_WORKERS delivery tasks run per channel at once: each holds a slot in the cache
for a little longer than its time budget (a worker killed mid-task frees it by expiry).
"""

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from meetup.broadcasts.models import Delivery

DELIVER_TASKS = {Delivery.Channel.SMS: "broadcasts.deliver_sms", Delivery.Channel.EMAIL: "broadcasts.deliver_email"}


def slot_key(channel: str, index: int) -> str:
    return f"broadcasts:worker-slot:{channel}:{index}"


def due_channels() -> list[str]:
    return list(
        Delivery.objects.filter(status=Delivery.Status.QUEUED, not_before__lte=timezone.now())
        .order_by().values_list("channel", flat=True).distinct()
    )


def kick(channels=None) -> int:
    """Start delivery tasks for the channels with messages due; returns how many were started."""
    started = 0
    for channel in channels if channels is not None else due_channels():
        for index in range(settings.BROADCAST_WORKERS):
            if cache.add(slot_key(channel, index), 1, timeout=settings.BROADCAST_TASK_SECONDS + 10):
                current_app.send_task(DELIVER_TASKS[channel], args=[index])
                started += 1
    return started


def kick_on_commit() -> None:
    """Start delivery once the rows are committed; a broker outage never fails the caller (beat's
    tick starts delivery as soon as the broker is back)."""
    transaction.on_commit(kick, robust=True)
