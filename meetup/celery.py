import os

from celery import Celery, signals
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


# --- Logs: the same format as the web processes, with the task id on every line a task writes -------
@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _format_logs(logger=None, **kwargs) -> None:
    from django.conf import settings

    from meetup.lib.logs import ContextFilter, formatter

    for handler in logger.handlers if logger else ():
        handler.setFormatter(formatter(settings.LOG_FORMAT))
        handler.addFilter(ContextFilter())


@signals.task_prerun.connect
def _task_started(task_id=None, **kwargs) -> None:
    from meetup.lib.logs import task_id as current

    current.set(task_id)


@signals.task_postrun.connect
def _task_finished(**kwargs) -> None:
    from meetup.lib.logs import task_id as current

    current.set(None)
