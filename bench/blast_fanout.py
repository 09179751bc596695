"""blast_fanout: one blast to 20,000 people (100,000 with --big) by SMS and email, through real
Celery worker processes on Redis, the real twilio SDK to a local Twilio-compatible server with no
rate cap, and Django's SMTP backend to a local SMTP server.

Reports delivered messages/s over a plain loop that sends the same messages straight to the same
servers with the same concurrency; planning time (audience to outbox rows); and the workers'
peak memory, which must not grow with the number of recipients.

    python bench/blast_fanout.py [--recipients 20000] [--big] [--concurrency 4] [--plan-only]
"""

import argparse
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import stack

ROOT = stack.ROOT


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total = max(total, int(line.split()[1]))
        except FileNotFoundError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _plain_loop(user_ids: list[int], queue) -> None:
    """One of the baseline's processes: render and send the same messages, nothing else."""
    import django

    django.setup()
    from django.core.mail import get_connection

    from meetup.accounts.models import User
    from meetup.broadcasts import render
    from meetup.broadcasts.backends import sms_backend
    from meetup.broadcasts.models import Broadcast

    broadcast = Broadcast.objects.select_related("event__venue").get(kind="announcement")
    shared = render.event_values(broadcast.event)
    backend, mail = sms_backend(), get_connection()
    mail.open()
    sent = 0
    for start in range(0, len(user_ids), 500):
        for user in User.objects.filter(pk__in=user_ids[start:start + 500]).order_by("pk"):
            if user.sms_opt_in:
                backend.send(to=str(user.phone), body=render.sms_text(broadcast, user, shared), status_callback=None,
                             validity_seconds=3600)
                sent += 1
            if user.email_opt_in:
                message = render.broadcast_email(broadcast, user, shared)
                message.connection = mail
                message.send()
                sent += 1
    mail.close()
    queue.put(sent)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--big", action="store_true", help="100,000 recipients")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--plan-only", action="store_true", help="measure planning only (no sending)")
    args = parser.parse_args()
    recipients = 100_000 if args.big else args.recipients
    stack.require("psql", "redis-cli")

    twilio_port, smtp_port = stack.free_port(), stack.free_port()
    servers = [
        subprocess.Popen([sys.executable, "-m", "tests.fakes.twilio", "--port", str(twilio_port)], cwd=ROOT,
                         stdout=subprocess.DEVNULL),
        subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c",
                          "aiosmtpd.handlers.Sink"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN

    stack.ENV.update({
        "SMS_BACKEND": "twilio", "TWILIO_API_URL": f"http://127.0.0.1:{twilio_port}",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": "+15005550006",
        "SMS_RATE_PER_SECOND": "1000000", "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "BROADCAST_WORKERS": str(args.concurrency), "BROADCAST_BATCH_SIZE": "100",
    })
    try:
        stack.fresh_database()
        result = plan_only(recipients) if args.plan_only else run(recipients, args.concurrency)
    finally:
        for server in servers:
            server.terminate()
    stack.report("blast_fanout", result)


def _audience(n: int):
    """n people going to one event: everyone has an address, 80% agreed to texts, 90% to email."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from meetup.accounts.models import User
    from meetup.events import capacity, services

    organiser = User.objects.create(username="organiser", email="organiser@example.org")
    now = timezone.now()
    # Logistics for an event within 24 hours are never held for quiet hours, whatever the clock says.
    event = services.event_create(organiser=organiser, title="Open Models Night", starts_at=now + timedelta(hours=6),
                                  ends_at=now + timedelta(hours=9), timezone="America/Los_Angeles", capacity=n,
                                  status="published")
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                       is_active, date_joined, display_name, phone, sms_opt_in, email_opt_in)
            SELECT '', false, 'p' || i, '', '', 'p' || i || '@example.org', false, true, now(), 'Person ' || i,
                   '+1415' || lpad(i::text, 7, '0'), i %% 5 <> 0, i %% 10 <> 0
            FROM generate_series(1, %s) AS i""", [n])
        cursor.execute("""
            INSERT INTO events_rsvp (event_id, user_id, status, created_at, ticket_code, notified_status)
            SELECT %s, id, 'going', now(), md5(id::text || 'ticket'), 'going' FROM accounts_user
            WHERE username LIKE 'p%%'""", [event.pk])
    capacity.recount(event)
    return organiser, event


def plan_only(n: int) -> dict:
    """Planning alone: the audience's consent applied and the outbox rows written."""
    from meetup.broadcasts import services
    from meetup.broadcasts.models import Delivery

    organiser, event = _audience(n)
    started = time.monotonic()
    broadcast = services.broadcast_create(
        event=event, created_by=organiser, kind="logistics", channels="both", subject="We crossed {event}!",
        body="Hi {first_name}, see you at {venue} on {starts_at}.")
    seconds = time.monotonic() - started
    return {"recipients": n, "planned_rows": Delivery.objects.filter(broadcast=broadcast).count(),
            "plan_seconds": round(seconds, 2)}


def run(n: int, concurrency: int) -> dict:
    from django.db import connection
    from django.db.models import Count

    from meetup.accounts.models import User
    from meetup.broadcasts import services
    from meetup.broadcasts.models import Broadcast, Delivery

    organiser, event = _audience(n)
    expected = User.objects.filter(username__startswith="p", sms_opt_in=True).count() + User.objects.filter(
        username__startswith="p", email_opt_in=True).count()

    # Baseline: the same messages, rendered and sent by a plain loop in as many processes.
    Broadcast.objects.create(event=event, kind="announcement", channels="both", subject="We crossed {event}!",
                             body="Hi {first_name}, see you at {venue} on {starts_at}.", status="draft")
    ids = list(User.objects.filter(username__startswith="p").order_by("pk").values_list("pk", flat=True))
    connection.close()
    queue = multiprocessing.get_context("fork").Queue()
    procs = [multiprocessing.get_context("fork").Process(target=_plain_loop, args=(ids[i::concurrency], queue))
             for i in range(concurrency)]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    baseline_sent = sum(queue.get() for _ in procs)
    for proc in procs:
        proc.join()
    baseline_seconds = time.monotonic() - started

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "meetup", "worker", "-Q", "default,sms,email", "-c", str(concurrency),
         "-P", "prefork", "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=stack.ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)  # the worker is up before the clock starts
    try:
        planned_at = time.monotonic()
        broadcast = services.broadcast_create(
            event=event, created_by=organiser, kind="logistics", channels="both", subject="We crossed {event}!",
            body="Hi {first_name}, see you at {venue} on {starts_at}.")
        plan_seconds = time.monotonic() - planned_at
        peak_mb, ticked = 0.0, time.monotonic()
        from meetup.celery import app

        while Delivery.objects.filter(broadcast=broadcast, status__in=["queued", "sending"]).exists():
            time.sleep(0.25)
            peak_mb = max(peak_mb, _rss_mb(_children(worker.pid)))
            if time.monotonic() - planned_at > 1800:
                break
            if time.monotonic() - ticked > 3:  # as beat does
                app.send_task("broadcasts.tick", queue="default")
                ticked = time.monotonic()
        pipeline_seconds = time.monotonic() - planned_at - plan_seconds
    finally:
        worker.terminate()
        worker.wait(timeout=60)

    counts = dict(Delivery.objects.filter(broadcast=broadcast).values_list("status").annotate(n=Count("id")))
    delivered = counts.get("sent", 0)
    baseline_rate = baseline_sent / baseline_seconds
    rate = delivered / pipeline_seconds
    return {
        "recipients": n, "concurrency": concurrency, "messages": expected, "statuses": counts,
        "exactly_once": delivered == expected == baseline_sent,
        "plan_seconds": round(plan_seconds, 2),
        "pipeline_msgs_per_s": round(rate, 1), "plain_loop_msgs_per_s": round(baseline_rate, 1),
        "ratio": round(rate / baseline_rate, 2), "worker_peak_rss_mb": round(peak_mb, 1),
    }


if __name__ == "__main__":
    main()
