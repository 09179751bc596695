"""pages: server-rendered pages at a small and a large size, served by gunicorn from PostgreSQL.

Reports, per page, the queries one request makes and the median latency (wrk) with few rows and
with many, and the ratio of the two latencies. Parts: `gallery` (the project gallery at 10 and
50,000 projects).

    python bench/pages.py [--part gallery] [--small 10] [--large 50000] [--seconds 8]
"""

import argparse
import os
import random
import subprocess
import sys

import stack

CONNECTIONS = 8
PLAIN_GET = """
function request() return wrk.format("GET", wrk.path) end
"""


def queries(path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = Client(SERVER_NAME="127.0.0.1").get(path)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def measure(base: str, path: str, seconds: int) -> dict:
    run = stack.wrk(f"{base}{path}", PLAIN_GET, connections=CONNECTIONS, duration=seconds)
    assert run["non_2xx"] == 0 and run["errors"] == 0, run
    return {"queries": queries(path), "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"], "per_s": round(run["per_s"], 1)}


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
    result = {"small_rows": args.small, "large_rows": args.large}
    for name in paths:
        result[name] = {
            "small": small[name], "large": large[name],
            "same_queries": small[name]["queries"] == large[name]["queries"],
            "latency_ratio": round(large[name]["p50_ms"] / small[name]["p50_ms"], 2),
        }
    return result


PARTS = {"gallery": gallery}


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
            result[name] = PARTS[name](args, lambda path, base=base: measure(base, path, args.seconds))
    stack.report("pages", result)


if __name__ == "__main__":
    main()
