import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meetup.settings")

app = Celery("meetup")
app.config_from_object("django.conf:settings", namespace="CELERY")
# One queue per kind of work, so a slow SMS provider or a busy GPU never holds up the rest.
app.conf.task_queues = [Queue(name) for name in ("default", "sms", "email", "gpu")]
app.autodiscover_tasks()


@app.task(name="meetup.ping")
def ping() -> str:
    """Answers "pong": lets an operator (or a test) see that a worker takes tasks from the broker."""
    return "pong"
