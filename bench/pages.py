"""pages: server-rendered pages at a small and a large size, served by gunicorn from PostgreSQL.

Reports, per page, the queries one request makes and the median latency (wrk) with few rows and
with many, and the ratio of the two latencies. Parts: `gallery` (the project gallery at 10 and
50,000 projects) and `rsvps` (the event page and the organiser's RSVP list at 10 and 50,000 RSVPs).

    python bench/pages.py [--part gallery|rsvps] [--small 10] [--large 50000] [--seconds 8]
"""

import argparse
import os
import random
import subprocess
import sys

import stack

CONNECTIONS = 8
PLAIN_GET = """
function init(args) cookie = args[1] end
function request()
  if cookie and cookie ~= "" then return wrk.format("GET", wrk.path, {["Cookie"] = cookie}) end
  return wrk.format("GET", wrk.path)
end
"""


def queries(path: str, user=None) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(SERVER_NAME="127.0.0.1")
    if user is not None:
        client.force_login(user)
    # What rendering the page costs: the read cache (which wrk's requests do use) is left out.
    with CaptureQueriesContext(connection) as ctx, override_settings(READ_CACHE_SECONDS=0):
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def session_cookie(user) -> str:
    """A signed-in session for wrk to send, from the same database gunicorn reads."""
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def measure(base: str, path: str, seconds: int, user=None) -> dict:
    args = [session_cookie(user)] if user is not None else []
    run = stack.wrk(f"{base}{path}", PLAIN_GET, connections=CONNECTIONS, duration=seconds, args=args)
    assert run["non_2xx"] == 0 and run["errors"] == 0, run
    return {"queries": queries(path, user), "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"],
            "per_s": round(run["per_s"], 1)}


def _compare(args, small: dict, large: dict) -> dict:
    """Per page: both measurements, whether the query count held, and the latency ratio."""
    result = {"small_rows": args.small, "large_rows": args.large}
    for name in small:
        result[name] = {
            "small": small[name], "large": large[name],
            "same_queries": small[name]["queries"] == large[name]["queries"],
            "latency_ratio": round(large[name]["p50_ms"] / small[name]["p50_ms"], 2),
        }
    return result


def gallery_rows(n: int, *, start: int, hub_models: list, event, owner) -> None:
    """n more visible projects, each linked to one Hub repository, with likes and trending scores."""
    from django.utils import timezone

    from meetup.showcase.models import Project, ProjectLink

    rng = random.Random(start)
    now = timezone.now()
    for offset in range(0, n, 5000):
        batch = [Project(title=f"Project {i}", slug=f"project-{i}", summary=f"Demo number {i} built on open models.",
                         created_by=owner, event=event if i % 3 == 0 else None, like_count=rng.randint(0, 300),
                         trending_score=rng.random() * 10, created_at=now)
                 for i in range(start + offset, start + min(n, offset + 5000))]
        Project.objects.bulk_create(batch)
        ProjectLink.objects.bulk_create(
            ProjectLink(project=p, hub_model=hub, requested_id=hub.repo_id, status=ProjectLink.Status.LINKED)
            for p, hub in zip(batch, (rng.choice(hub_models) for _ in batch), strict=True))


def gallery(args, base_runner) -> dict:
    from hubsync.models import HubModel
    from meetup.accounts.models import User
    from meetup.events.models import Event
    from meetup.showcase.models import Project

    owner = User.objects.create(username="maker", email="maker@example.org")
    event = Event.objects.filter(slug="open-models-night-11").first()
    hub_models = HubModel.objects.bulk_create(
        HubModel(repo_id=f"org{i % 20}/model-{i}", pipeline_tag=random.choice(["text-generation", "fill-mask"]),
                 license=random.choice(["mit", "apache-2.0"]), library_name="transformers", likes=i)
        for i in range(200))
    paths = {"gallery": "/projects/", "gallery_filtered": "/projects/?task=text-generation&license=mit&sort=most_liked"}
    gallery_rows(args.small, start=0, hub_models=hub_models, event=event, owner=owner)
    small = {name: base_runner(path) for name, path in paths.items()}
    gallery_rows(args.large - args.small, start=args.small, hub_models=hub_models, event=event, owner=owner)
    subprocess.run(["psql", stack.DATABASE_URL, "-qc", "VACUUM ANALYZE"], check=True)
    assert Project.objects.count() == args.large
    large = {name: base_runner(path) for name, path in paths.items()}
    return _compare(args, small, large)


def _rsvp_rows(event, n: int, *, start: int) -> None:
    """n more people going (a tenth of them checked in), inserted in bulk."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                       is_active, date_joined, display_name, sms_opt_in, email_opt_in)
            SELECT '', false, 'guest' || i, '', '', 'guest' || i || '@example.org', false, true, now(),
                   'Guest ' || i, false, true
            FROM generate_series(%s, %s) AS i""", [start, start + n - 1])
        cursor.execute("""
            INSERT INTO events_rsvp (event_id, user_id, status, created_at, ticket_code, notified_status,
                                     checked_in_at)
            SELECT %s, u.id, 'going', now() - (random() * interval '20 days'), md5(u.id::text), 'going',
                   CASE WHEN u.id %% 10 = 0 THEN now() END
            FROM accounts_user u LEFT JOIN events_rsvp r ON r.user_id = u.id AND r.event_id = %s
            WHERE u.username LIKE 'guest%%' AND r.id IS NULL""", [event.pk, event.pk])


def rsvps(args, base_runner) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from meetup.accounts.models import User
    from meetup.events import capacity, services

    organiser = User.objects.create(username="host", email="host@example.org")
    now = timezone.now()
    event = services.event_create(organiser=organiser, title="Big Night", starts_at=now + timedelta(days=5),
                                  ends_at=now + timedelta(days=5, hours=3), timezone="Europe/Paris",
                                  capacity=args.large, status="published")
    paths = {"event_page": (f"/events/{event.slug}/", None),
             "rsvp_list": (f"/events/{event.slug}/rsvps/", organiser)}
    _rsvp_rows(event, args.small, start=0)
    capacity.recount(event)
    small = {name: base_runner(path, user) for name, (path, user) in paths.items()}
    _rsvp_rows(event, args.large - args.small, start=args.small)
    capacity.recount(event)
    subprocess.run(["psql", stack.DATABASE_URL, "-qc", "VACUUM ANALYZE"], check=True)
    large = {name: base_runner(path, user) for name, (path, user) in paths.items()}
    return _compare(args, small, large)


PARTS = {"gallery": gallery, "rsvps": rsvps}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=sorted(PARTS), action="append")
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=50_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 4)))
    args = parser.parse_args()
    stack.require("wrk", "psql", "redis-cli")
    stack.fresh_database()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=stack.ROOT, env=stack.ENV,
                   check=True)
    result = {"gunicorn_workers": args.workers, "connections": CONNECTIONS}
    with stack.gunicorn(workers=args.workers) as base:
        for name in args.part or sorted(PARTS):
            result[name] = PARTS[name](args, lambda path, user=None, base=base: measure(base, path, args.seconds,
                                                                                         user))
    stack.report("pages", result)


if __name__ == "__main__":
    main()
