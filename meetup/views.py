import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from meetup.celery import app as celery_app
from meetup.events.selectors import event_list_upcoming
from meetup.lib.beat import heartbeat_age
from meetup.metrics import outbox_lag_seconds

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html", {"events": event_list_upcoming()[:20]})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _check_redis() -> None:
    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()


def _beat() -> dict:
    age = heartbeat_age()
    if age is None:
        return {"status": "unknown"}
    return {"status": "ok" if age <= settings.HEALTH_BEAT_STALE else "stale", "age_seconds": round(age)}


def _outbox() -> dict:
    lag = outbox_lag_seconds()
    return {"status": "ok" if lag <= settings.HEALTH_OUTBOX_LAG else "lagging", "lag_seconds": round(lag)}


@never_cache
def healthz(request):
    """200 when the database, the task broker and Redis (when configured) answer, 503 naming what
    failed. The beat heartbeat and the outbox's lag are reported beside them without changing the
    status: a stopped beat is no reason for a load balancer to take every web server out."""
    checks, failed = {}, False
    hard = [("database", _check_database), ("broker", _check_broker)]
    if settings.REDIS_URL:
        hard.append(("redis", _check_redis))
    for name, check in hard:
        try:
            check()
            checks[name] = "ok"
        except Exception:  # any failure of a dependency is a 503, never a 500; the detail goes to the log
            logger.warning("healthz: %s failed", name, exc_info=True)
            checks[name] = "failed"
            failed = True
    body = {"status": "failed" if failed else "ok", "checks": checks}
    for name, report in (("beat", _beat), ("outbox", _outbox)):
        try:
            body[name] = report()
        except Exception:
            logger.warning("healthz: reading %s failed", name, exc_info=True)
            body[name] = {"status": "unknown"}
    return JsonResponse(body, status=503 if failed else 200)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not_found", "detail": _("No such API endpoint.")}, status=404)
    return render(request, "404.html", status=404)


def handler500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "server_error", "detail": _("Something broke on our side; it was logged.")},
                            status=500)
    return render(request, "500.html", status=500)
