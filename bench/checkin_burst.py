"""checkin_burst: 5,000 tickets scanned from 8 door devices at once, through gunicorn and PostgreSQL.

Reports scans/s over the read endpoint's requests/s at the same concurrency, and scan latency
percentiles; checks every ticket was admitted exactly once.

    python bench/checkin_burst.py [--tickets 5000] [--devices 8] [--workers 4]
"""

import argparse
import os
import tempfile
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
    from meetup.events import capacity, services
    from meetup.events.models import RSVP, Event

    organiser = User.objects.create(username="door", email="door@example.org")
    _, door_token = api_token_issue(user=organiser)
    now = timezone.now()
    event = services.event_create(organiser=organiser, title="Night", starts_at=now - timedelta(minutes=30),
                                  ends_at=now + timedelta(hours=3), timezone="UTC", capacity=args.tickets,
                                  status=Event.Status.PUBLISHED)
    users, _ = stack.users_with_tokens(args.tickets, "guest")
    RSVP.objects.bulk_create(
        (RSVP(event=event, user=user, status="going", created_at=now, ticket_code=capacity.new_ticket_code(),
              notified_status="going") for user in users), batch_size=2000)
    capacity.recount(event)
    codes = list(RSVP.objects.filter(event=event).values_list("ticket_code", flat=True))
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
    os.unlink(handle.name)

    admitted = checked_in()
    scans_per_s = admitted / scans["duration_s"]
    stack.report("checkin_burst", {
        "tickets": args.tickets, "devices": args.devices, "gunicorn_workers": args.workers,
        "admitted": admitted, "scans_per_s": round(scans_per_s, 1), "scan_p50_ms": scans["p50_ms"],
        "scan_p99_ms": scans["p99_ms"], "http_errors": scans["errors"], "read_per_s": round(read["per_s"], 1),
        "ratio_vs_read": round(scans_per_s / read["per_s"], 3),
    })


if __name__ == "__main__":
    main()
