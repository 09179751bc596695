"""checkin_burst: 5,000 tickets scanned from 8 door devices at once, through gunicorn and PostgreSQL.

Online: each scan is a signed ticket code POSTed to the check-in API; reports scans/s over the read
endpoint's requests/s at the same concurrency, and scan latency percentiles; checks every ticket
was admitted exactly once. Offline sync: 8 devices that scanned offline each upload their queue at
once (625 scans each, plus 5% of their neighbour's tickets scanned again at another door); reports
the sync time, admissions (exactly one per ticket) and conflicts.

    python bench/checkin_burst.py [--tickets 5000] [--devices 8] [--workers 4]
"""

import argparse
import json
import os
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import stack

SCAN_SCRIPT = stack.EACH_ITEM_ONCE + """
function request()
  return wrk.format("POST", wrk.path, {["Authorization"] = "Bearer " .. extra,
                                       ["Content-Type"] = "application/json"}, '{"code": "' .. next_item() .. '"}')
end
"""

READ_SCRIPT = """
function init(args) token = args[1] end
function request() return wrk.format("GET", wrk.path, {["Authorization"] = "Bearer " .. token}) end
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--devices", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 4)))
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    stack.require("wrk", "psql", "redis-cli")
    stack.fresh_database()

    from django.db import connection
    from django.utils import timezone

    from meetup.accounts.models import User
    from meetup.accounts.services import api_token_issue
    from meetup.events import capacity, services, signing
    from meetup.events.models import RSVP, Event

    organiser = User.objects.create(username="organiser", email="organiser@example.org")
    door = User.objects.create(username="door", email="door@example.org")
    _, door_token = api_token_issue(user=door)
    now = timezone.now()
    event = services.event_create(organiser=organiser, title="Night", starts_at=now - timedelta(minutes=30),
                                  ends_at=now + timedelta(hours=3), timezone="UTC", capacity=args.tickets,
                                  status=Event.Status.PUBLISHED)
    users, _ = stack.users_with_tokens(args.tickets, "guest")
    RSVP.objects.bulk_create(
        (RSVP(event=event, user=user, status="going", created_at=now, ticket_code=capacity.new_ticket_code(),
              notified_status="going") for user in users), batch_size=2000)
    capacity.recount(event)
    event.door_staff.add(door)
    codes = [signing.ticket_code(rsvp) for rsvp in RSVP.objects.filter(event=event).select_related("event")]
    offline = services.event_create(organiser=organiser, title="Night, offline", starts_at=now - timedelta(minutes=30),
                                    ends_at=now + timedelta(hours=3), timezone="UTC", capacity=args.tickets,
                                    status=Event.Status.PUBLISHED)
    RSVP.objects.bulk_create(
        (RSVP(event=offline, user=user, status="going", created_at=now, ticket_code=capacity.new_ticket_code(),
              notified_status="going") for user in users), batch_size=2000)
    capacity.recount(offline)
    offline.door_staff.add(door)
    batches = _offline_batches(offline, args.devices, now)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(codes) + "\n")
    connection.close()

    def checked_in() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM events_rsvp WHERE event_id = %s AND checked_in_at IS NOT NULL",
                           [event.pk])
            return cursor.fetchone()[0]

    with stack.gunicorn(workers=args.workers) as base:
        scans = stack.wrk(f"{base}/api/events/{event.slug}/checkins", SCAN_SCRIPT, connections=args.devices,
                          duration=300, args=(2, handle.name, door_token),
                          until=stack.reached(checked_in, args.tickets))
        read = stack.wrk(f"{base}/api/events/{event.slug}", READ_SCRIPT, connections=args.devices,
                         duration=args.seconds, args=(door_token,))
        sync_s, answers = _sync_all(f"{base}/api/events/{offline.slug}/checkins/sync", batches, door_token)
    # The read as it was before the read cache (one query per request): the yardstick the target was set on.
    with stack.gunicorn(workers=args.workers, env={"READ_CACHE_SECONDS": "0"}) as base:
        uncached = stack.wrk(f"{base}/api/events/{event.slug}", READ_SCRIPT, connections=args.devices,
                             duration=args.seconds, args=(door_token,))
    os.unlink(handle.name)
    outcomes = [r["outcome"] for answer in answers for r in answer["results"]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FILTER (WHERE checked_in_at IS NOT NULL), count(*) FILTER (WHERE inside) "
                       "FROM events_rsvp WHERE event_id = %s", [offline.pk])
        offline_checked_in, offline_inside = cursor.fetchone()
        cursor.execute("SELECT count(*) FILTER (WHERE outcome = 'admitted'), count(*) FILTER (WHERE outcome = "
                       "'conflict') FROM events_scan WHERE event_id = %s", [offline.pk])
        scans_admitted, scans_conflict = cursor.fetchone()

    admitted = checked_in()
    scans_per_s = admitted / scans["duration_s"]
    stack.report("checkin_burst", {
        "tickets": args.tickets, "devices": args.devices, "gunicorn_workers": args.workers,
        "admitted": admitted, "scans_per_s": round(scans_per_s, 1), "scan_p50_ms": scans["p50_ms"],
        "scan_p90_ms": scans["p90_ms"], "scan_p99_ms": scans["p99_ms"],
        "http_errors": scans["errors"], "read_per_s": round(read["per_s"], 1),
        "ratio_vs_read": round(scans_per_s / read["per_s"], 3),
        "uncached_read_per_s": round(uncached["per_s"], 1),
        "ratio_vs_uncached_read": round(scans_per_s / uncached["per_s"], 3),
        "offline_sync": {
            "devices": args.devices, "scans_uploaded": len(outcomes), "sync_s": round(sync_s, 2),
            "admitted": scans_admitted, "conflicts": scans_conflict, "checked_in": offline_checked_in,
            "inside": offline_inside, "answered_admitted": outcomes.count("admitted"),
            "answered_conflict": outcomes.count("conflict"),
        },
    })


def _offline_batches(event, devices: int, now) -> list[dict]:
    """Each device's queue: its share of the tickets, then 5% of its neighbour's scanned again
    later (the same person let in at two doors while both were offline)."""
    from meetup.events import signing
    from meetup.events.models import RSVP, Entrance

    rsvps = list(RSVP.objects.filter(event=event).select_related("event").order_by("pk"))
    doors = [Entrance.objects.create(event=event, name=f"Door {i + 1}") for i in range(devices)]
    share = len(rsvps) // devices
    batches = []
    for i in range(devices):
        own = rsvps[i * share:(i + 1) * share]
        again = rsvps[((i + 1) % devices) * share:][: share // 20]
        start = now - timedelta(minutes=20)
        scans = [{"code": signing.ticket_code(r), "scanned_at": (start + timedelta(milliseconds=100 * n)).isoformat(),
                  "entrance": doors[i].pk, "direction": "entry", "scan_id": f"d{i}-{n}"} for n, r in enumerate(own)]
        scans += [{"code": signing.ticket_code(r), "scanned_at": (now - timedelta(minutes=1)).isoformat(),
                   "entrance": doors[i].pk, "direction": "entry", "scan_id": f"d{i}-again-{n}"}
                  for n, r in enumerate(again)]
        batches.append({"device": f"door-{i + 1}", "scans": scans})
    return batches


def _sync_all(url: str, batches: list[dict], token: str) -> tuple[float, list[dict]]:
    """All devices upload their whole queue at the same moment (as when the Wi-Fi comes back)."""
    def upload(batch):
        request = urllib.request.Request(url, data=json.dumps(batch).encode(), method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.load(response)

    started = time.perf_counter()
    with ThreadPoolExecutor(len(batches)) as pool:
        answers = list(pool.map(upload, batches))
    return time.perf_counter() - started, answers


if __name__ == "__main__":
    main()
