"""Prometheus metrics at GET /metrics, behind `Authorization: Bearer <METRICS_TOKEN>`.

Request latency is measured in each web process (a histogram per view; under gunicorn, with
PROMETHEUS_MULTIPROC_DIR set by gunicorn.conf.py, the workers' values are summed at scrape time).
Everything whose truth is in the database or the broker (RSVPs, deliveries, the outbox's lag, demo
runs, queue lengths, the beat heartbeat) is read when Prometheus scrapes, so every web process
answers the same and nothing drifts from the data.
"""

import hmac
import itertools
import logging
import os
import time

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

QUEUES = ("default", "sms", "email", "gpu")

REQUEST_LATENCY = Histogram(
    "meetup_http_request_duration_seconds",
    "Time to answer a request, by view, method and status code.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class RequestLatencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "<unmatched>"
        REQUEST_LATENCY.labels(view, request.method, str(response.status_code)).observe(time.perf_counter() - started)
        return response


def outbox_lag_seconds(now=None) -> float:
    """Seconds the oldest message that is due and still queued has waited (0 when none waits)."""
    from meetup.broadcasts.models import Delivery

    now = now or timezone.now()
    oldest = Delivery.objects.filter(status=Delivery.Status.QUEUED, not_before__lte=now).aggregate(
        oldest=Min("not_before")
    )["oldest"]
    return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each Celery queue, asked of the broker."""
    from meetup.celery import app

    lengths = {}
    with app.connection_for_read() as conn:
        channel = conn.default_channel
        for queue in QUEUES:
            try:
                lengths[queue] = channel.queue_declare(queue, passive=True).message_count
            except Exception:  # a queue nobody declared yet holds nothing
                lengths[queue] = 0
    return lengths


def _counts(model, fields, choices_by_field) -> dict[tuple, int]:
    """Rows per combination of `fields`, every known combination present (zero when none)."""
    counts = dict.fromkeys(itertools.product(*(choices_by_field[f] for f in fields)), 0)
    for row in model.objects.order_by().values(*fields).annotate(n=Count("pk")):
        counts[tuple(row[f] for f in fields)] = row["n"]
    return counts


class AppCollector:
    """The app's state, read at scrape time."""

    def collect(self):
        from meetup.broadcasts.models import Delivery
        from meetup.demos.models import DemoRun
        from meetup.events.models import RSVP
        from meetup.lib.beat import heartbeat_age

        rsvps = GaugeMetricFamily("meetup_rsvps", "RSVPs by status.", labels=["status"])
        for (status,), n in _counts(RSVP, ["status"], {"status": RSVP.Status.values}).items():
            rsvps.add_metric([status], n)
        yield rsvps

        deliveries = GaugeMetricFamily(
            "meetup_deliveries", "Outbox deliveries by status and channel.", labels=["status", "channel"]
        )
        choices = {"status": Delivery.Status.values, "channel": Delivery.Channel.values}
        for (status, channel), n in _counts(Delivery, ["status", "channel"], choices).items():
            deliveries.add_metric([status, channel], n)
        yield deliveries

        yield GaugeMetricFamily(
            "meetup_outbox_oldest_due_age_seconds",
            "Seconds the oldest due, still queued message has waited (0 when none).",
            value=outbox_lag_seconds(),
        )

        runs = GaugeMetricFamily("meetup_demo_runs", "Demo runs by status.", labels=["status"])
        for (status,), n in _counts(DemoRun, ["status"], {"status": DemoRun.Status.values}).items():
            runs.add_metric([status], n)
        yield runs

        try:
            lengths = queue_lengths()
        except Exception as exc:
            logger.warning("metrics: cannot read the queue lengths: %s", exc)
        else:
            queues = GaugeMetricFamily("meetup_celery_queue_length", "Messages waiting per queue.", labels=["queue"])
            for queue, n in lengths.items():
                queues.add_metric([queue], n)
            yield queues

        try:
            age = heartbeat_age()
        except Exception as exc:
            logger.warning("metrics: cannot read the beat heartbeat: %s", exc)
        else:
            if age is not None:
                yield GaugeMetricFamily(
                    "meetup_beat_heartbeat_age_seconds", "Seconds since the scheduling beat last ticked.", value=age
                )


class _ProcessMetrics:
    """This process's own metrics (when not in multiprocess mode)."""

    def collect(self):
        yield from REGISTRY.collect()


@never_cache
def metrics_view(request):
    token = settings.METRICS_TOKEN
    if not token:
        return HttpResponse("Metrics are off: set METRICS_TOKEN.\n", status=404, content_type="text/plain")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("A bearer token is needed.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    registry.register(AppCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
