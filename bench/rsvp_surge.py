"""rsvp_surge: N distinct users RSVP to one event over HTTP with 32 concurrent clients, capacity below N.

Reports RSVPs/s over the hot-row ceiling (pgbench doing the same capacity-checked insert on one counter
row of the same PostgreSQL with the same concurrency), and RSVP throughput over the read endpoint's.
Then the reads everyone makes after the tweet, each against a bare read served by the same gunicorn
(bench/bare.py, the ceiling): the API read, the event page, and the live counter every open page
polls.
Checks zero overbooking and that everyone going arrived before everyone waitlisted.

    python bench/rsvp_surge.py [--users 6000] [--capacity 1500] [--workers 4]

With --offers (waitlist offers on): 1,000 going and 2,000 waitlisted by RSVP over HTTP, then 500
cancellations paced over 10 s while 32 clients claim the offers as they appear (half of them: the
other half are left to expire, and the expiry job passes those seats on), then a burst of claims of
the passed-on offers. Reports claims/s beside RSVPs/s (both from the same Python HTTP clients, so
no wrk is needed), and checks zero overbooking and every freed seat offered exactly once, in order.

    python bench/rsvp_surge.py --offers [--going 1000] [--waiting 2000] [--cancellations 500]
"""

import argparse
import os
import tempfile
from datetime import timedelta

import stack

CLIENTS = 32

RSVP_SCRIPT = stack.EACH_ITEM_ONCE + """
function request()
  return wrk.format("POST", wrk.path, {["Authorization"] = "Bearer " .. next_item(),
                                       ["Content-Type"] = "application/json"}, '{"accept_code_of_conduct": true}')
end
"""

READ_SCRIPT = """
function init(args) token = args[1] end
function request()
  return wrk.format("GET", wrk.path, {["Authorization"] = "Bearer " .. token})
end
"""

HOT_ROW_SETUP = """
DROP TABLE IF EXISTS bench_rsvp, bench_event;
CREATE TABLE bench_event (id int PRIMARY KEY, capacity int NOT NULL, going int NOT NULL);
CREATE TABLE bench_rsvp (id bigserial PRIMARY KEY, event_id int NOT NULL, user_id bigint NOT NULL,
                         created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (event_id, user_id));
INSERT INTO bench_event VALUES (1, 1000000000, 0);
"""
HOT_ROW_SCRIPT = """
\\set uid random(1, 9000000000)
BEGIN;
INSERT INTO bench_rsvp (event_id, user_id) VALUES (1, :uid) ON CONFLICT DO NOTHING;
UPDATE bench_event SET going = going + 1 WHERE id = 1 AND going < capacity;
COMMIT;
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=6000)
    parser.add_argument("--capacity", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 4)))
    parser.add_argument("--seconds", type=int, default=10, help="for the pgbench and read runs")
    parser.add_argument("--offers", action="store_true", help="the waitlist offers run (see above)")
    parser.add_argument("--going", type=int, default=1000)
    parser.add_argument("--waiting", type=int, default=2000)
    parser.add_argument("--cancellations", type=int, default=500)
    args = parser.parse_args()
    if args.offers:
        import offers_surge

        return offers_surge.run(args)
    stack.require("wrk", "pgbench", "psql", "redis-cli")
    stack.fresh_database()

    from django.db import connection
    from django.utils import timezone

    from meetup.accounts.models import User
    from meetup.events import services
    from meetup.events.models import RSVP, Event

    organiser = User.objects.create(username="organiser", email="organiser@example.org")
    now = timezone.now()
    event = services.event_create(organiser=organiser, title="Surge", starts_at=now + timedelta(days=7),
                                  ends_at=now + timedelta(days=7, hours=3), timezone="UTC",
                                  capacity=args.capacity, status=Event.Status.PUBLISHED)
    twin = services.event_create(organiser=organiser, title="Surge bare", starts_at=now + timedelta(days=7),
                                 ends_at=now + timedelta(days=7, hours=3), timezone="UTC",
                                 capacity=args.capacity, status=Event.Status.PUBLISHED)
    _, tokens = stack.users_with_tokens(args.users, "surge")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(tokens) + "\n")
    with connection.cursor() as cursor:
        cursor.execute(HOT_ROW_SETUP)
    connection.close()

    def created(of=event) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM events_rsvp WHERE event_id = %s", [of.pk])
            return cursor.fetchone()[0]

    # The same gunicorn also serves a bare read and a bare RSVP (bench/bare.py): the ceilings the real
    # endpoints are measured against. The bare surge goes to a twin event with the same capacity.
    with stack.gunicorn(workers=args.workers, app="bare") as base:
        surge = stack.wrk(f"{base}/api/events/{event.slug}/rsvp", RSVP_SCRIPT, connections=CLIENTS, duration=300,
                          args=(2, handle.name), until=stack.reached(created, args.users))
        bare_surge = stack.wrk(f"{base}/bare/events/{twin.slug}/rsvp", RSVP_SCRIPT, connections=CLIENTS, duration=300,
                               args=(2, handle.name), until=stack.reached(lambda: created(twin), args.users))
        read = stack.wrk(f"{base}/api/events/{event.slug}", READ_SCRIPT, connections=CLIENTS,
                         duration=args.seconds, args=(tokens[0],))
        page = stack.wrk(f"{base}/events/{event.slug}/", READ_SCRIPT, connections=CLIENTS,
                         duration=args.seconds, args=(tokens[0],))
        counter = stack.wrk(f"{base}/events/{event.slug}/counts/", READ_SCRIPT, connections=CLIENTS,
                            duration=args.seconds, args=(tokens[0],))
        bare = stack.wrk(f"{base}/bare/events/{event.slug}", READ_SCRIPT, connections=CLIENTS,
                         duration=args.seconds, args=(tokens[0],))
    os.unlink(handle.name)
    hot_row_tps = stack.pgbench(HOT_ROW_SCRIPT, clients=CLIENTS, seconds=args.seconds)

    going = RSVP.objects.filter(event=event, status="going")
    waiting = RSVP.objects.filter(event=event, status="waitlisted")
    shards = sum(event.shards.values_list("taken", flat=True))
    last_going = going.order_by("-created_at").values_list("created_at", flat=True).first()
    first_waiting = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    rsvps = created()
    rsvps_per_s = rsvps / surge["duration_s"]
    bare_rsvps_per_s = created(twin) / bare_surge["duration_s"]
    stack.report("rsvp_surge", {
        "users": args.users, "capacity": args.capacity, "clients": CLIENTS, "gunicorn_workers": args.workers,
        "rsvps": rsvps, "rsvps_per_s": round(rsvps_per_s, 1), "rsvp_p50_ms": surge["p50_ms"],
        "rsvp_p99_ms": surge["p99_ms"], "http_errors": surge["errors"],
        "bare_rsvps_per_s": round(bare_rsvps_per_s, 1), "bare_rsvp_p99_ms": bare_surge["p99_ms"],
        "rsvp_vs_bare": round(rsvps_per_s / bare_rsvps_per_s, 3),
        "bare_going": RSVP.objects.filter(event=twin, status="going").count(),
        "hot_row_pgbench_tps": round(hot_row_tps, 1), "ratio_vs_hot_row": round(rsvps_per_s / hot_row_tps, 3),
        "read_per_s": round(read["per_s"], 1), "ratio_vs_read": round(rsvps_per_s / read["per_s"], 3),
        "page_per_s": round(page["per_s"], 1), "bare_read_per_s": round(bare["per_s"], 1),
        "read_vs_bare": round(read["per_s"] / bare["per_s"], 3),
        "page_vs_bare": round(page["per_s"] / bare["per_s"], 3),
        "counter_per_s": round(counter["per_s"], 1), "counter_vs_bare": round(counter["per_s"] / bare["per_s"], 3),
        "read_p99_ms": read["p99_ms"], "page_p99_ms": page["p99_ms"], "bare_p99_ms": bare["p99_ms"],
        "going": going.count(), "waitlisted": waiting.count(), "shard_sum": shards,
        "overbooked": max(0, going.count() - args.capacity),
        "waitlist_after_going": bool(last_going and first_waiting and last_going <= first_waiting),
    })


if __name__ == "__main__":
    main()
