import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from meetup.celery import app as celery_app
from meetup.events.selectors import event_list_upcoming

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html", {"events": event_list_upcoming()[:20]})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def healthz(request):
    """200 when the database and the task broker answer, 503 naming what failed."""
    checks, failed = {}, False
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # any failure of a dependency is a 503, never a 500
            logger.warning("healthz: %s failed: %s", name, exc)
            checks[name] = f"failed: {exc.__class__.__name__}: {exc}"[:200]
            failed = True
    return JsonResponse({"status": "failed" if failed else "ok", "checks": checks}, status=503 if failed else 200)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not_found", "detail": _("No such API endpoint.")}, status=404)
    return render(request, "404.html", status=404)


def handler500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "server_error", "detail": _("Something broke on our side; it was logged.")},
                            status=500)
    return render(request, "500.html", status=500)
