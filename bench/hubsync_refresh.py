"""hubsync_refresh: refresh 10,000 linked models from a local Hub server (its own process) through
real Celery worker processes, PostgreSQL and Redis.

Reports models/s of a refresh whose counts all changed over a plain paged fetch of the same data
with the same client library and concurrency (no database), and the time of an unchanged refresh
over a changed one (every sha moved, so every card is read again).

    python bench/hubsync_refresh.py [--models 10000] [--owners 5] [--workers 2]
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import stack


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--owners", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes, and fetch threads")
    args = parser.parse_args()
    stack.require("psql", "redis-cli")
    port = stack.free_port()
    hub_url = f"http://127.0.0.1:{port}"
    stack.ENV["HF_ENDPOINT"] = hub_url
    os.environ["HF_ENDPOINT"] = hub_url
    stack.fresh_database()

    from celery import group
    from huggingface_hub import HfApi

    from hubsync.client import EXPAND
    from hubsync.models import HubModel
    from hubsync.services import refresh_plan
    from hubsync.tasks import refresh_owner
    from meetup.celery import ping

    hub = subprocess.Popen([sys.executable, "bench/fake_hub.py", "--port", str(port), "--models", str(args.models),
                            "--owners", str(args.owners)], cwd=stack.ROOT, env=stack.ENV)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "meetup", "worker", "-Q", "default", "-c", str(args.workers),
         "--prefetch-multiplier", "1", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=stack.ROOT, env=stack.ENV)
    try:
        wait_for(f"{hub_url}/api/models?author=owner0&limit=1")
        ping.apply_async(queue="default").get(timeout=60)
        HubModel.objects.bulk_create(
            [HubModel(repo_id=f"owner{i % args.owners}/model-{i:05d}") for i in range(args.models)], batch_size=2000)
        plan = refresh_plan()
        assert len(plan.owners) == args.owners and not plan.singles, plan

        def refresh() -> float:
            started = time.perf_counter()
            group(refresh_owner.s(t, a) for t, a in plan.owners).apply_async().get(timeout=1800)
            return time.perf_counter() - started

        def bump(**params) -> None:
            query = "&".join(f"{k}={v}" for k, v in params.items())
            urllib.request.urlopen(urllib.request.Request(f"{hub_url}/_fake/bump?{query}", method="POST"))

        def plain_fetch() -> float:
            api = HfApi(endpoint=hub_url, token=False)

            def owner(author):
                return sum(1 for _ in api.list_models(author=author, expand=EXPAND))

            started = time.perf_counter()
            with ThreadPoolExecutor(args.workers) as pool:
                fetched = sum(pool.map(owner, [a for _, a in plan.owners]))
            assert fetched == args.models, fetched
            return time.perf_counter() - started

        first_s = refresh()  # every row new: metadata and every card
        plain_fetch()  # warm-up
        fetch_s = min(plain_fetch() for _ in range(3))
        unchanged_s = min(refresh() for _ in range(3))
        bump(likes=1)
        counts_s = refresh()
        bump(likes=1, commit=1)
        changed_s = refresh()
        assert HubModel.objects.filter(card_html__contains="Updated.").count() == args.models
    finally:
        worker.terminate()
        hub.terminate()
        worker.wait(timeout=60)
        hub.wait(timeout=10)

    rate = args.models / counts_s
    stack.report("hubsync_refresh", {
        "models": args.models, "owners": args.owners, "celery_workers": args.workers,
        "plain_fetch_s": round(fetch_s, 2), "plain_fetch_models_per_s": round(args.models / fetch_s, 1),
        "first_sync_s": round(first_s, 2),
        "unchanged_s": round(unchanged_s, 2), "counts_changed_s": round(counts_s, 2),
        "sha_changed_s": round(changed_s, 2),
        "counts_changed_models_per_s": round(rate, 1),
        "ratio_vs_plain_fetch": round(rate / (args.models / fetch_s), 3),
        "unchanged_over_changed": round(unchanged_s / changed_s, 3),
        "unchanged_over_counts_changed": round(unchanged_s / counts_s, 3),
    })


if __name__ == "__main__":
    main()
