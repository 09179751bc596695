"""Log lines that say where they come from: time, level, logger, the request id of the web request
or the id of the Celery task that wrote them, as text or as one JSON object a line (LOG_FORMAT)."""

import json
import logging
import time
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("task_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [request=%(request_id)s task=%(task_id)s] %(message)s"


class ContextFilter(logging.Filter):
    """Adds `request_id` and `task_id` ("-" outside a request or a task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        if not hasattr(record, "task_id"):
            record.task_id = task_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "task_id"):
            value = getattr(record, name, "-")
            if value and value != "-":
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return super().formatTime(record, datefmt or "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z"


def formatter(fmt: str = "text") -> logging.Formatter:
    """The formatter for LOG_FORMAT (`text` or `json`); used by LOGGING and by the Celery processes."""
    return JsonFormatter() if fmt == "json" else UTCFormatter(TEXT_FORMAT)
