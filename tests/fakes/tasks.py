"""What the code under test sent to the broker, read from Celery's own publish signal: the tasks
really go to the (in-memory) broker; this only records their names, arguments and ETA."""

import pytest
from celery.signals import before_task_publish


@pytest.fixture
def published():
    sent = []

    def record(sender=None, headers=None, body=None, **kwargs):
        args = body[0] if isinstance(body, (list, tuple)) else headers.get("argsrepr")
        sent.append({"task": sender, "args": list(args), "eta": headers.get("eta")})

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)
