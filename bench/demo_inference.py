"""demo_inference: visitors' demo runs through the gpu queue against the same model called
directly in a loop with the same batch sizes.

A tiny random GPT-2 (built here, offline) is served from a local Hub cache by a real worker
process (`-Q gpu -P prefork -c 1 --prefetch-multiplier 1`, HF_HUB_OFFLINE=1) on Redis and
PostgreSQL. N runs are queued at once, as a queue of visitors would; the figure is runs/s from
the first queued to the last finished. The baseline loads the same model in this process and
runs the same inputs in the batches the worker formed. On a CPU the figures are reported, not
judged (the model is so small that the queue's fixed costs dominate); on a GPU the target is 0.8.

    python bench/demo_inference.py [--runs 256] [--batch-size 8] [--new-tokens 16]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

import stack

ROOT = stack.ROOT
REPO = "meetup-bench/tiny-gpt2"
PROMPTS = ["once upon a time", "the cat sat on", "open models are", "hello world", "we build small models",
           "a story tells", "people share open demo", "the dog ran to the park"]


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "meetup", "worker", "-Q", "gpu", "-P", "prefork", "-c", "1",
         "--prefetch-multiplier", "1", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
         "--without-heartbeat"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, 15)
    worker.wait(timeout=60)


def _queue_and_wait(demo, user, n: int, timeout: float = 600) -> tuple[float, list]:
    from django.db import transaction

    from meetup.demos import services
    from meetup.demos.models import DemoRun

    started = time.perf_counter()
    with transaction.atomic():
        runs = [services.demo_run_create(demo=demo, user=user, ip=None, text=PROMPTS[i % len(PROMPTS)])
                for i in range(n)]
    ids = [r.pk for r in runs]
    live = DemoRun.objects.filter(pk__in=ids, status__in=["queued", "running"])
    while live.exists():
        if time.perf_counter() - started > timeout:
            sys.exit(f"runs still live after {timeout} s")
        time.sleep(0.05)  # light polling: this process shares the cores with the worker
    elapsed = time.perf_counter() - started
    return elapsed, list(DemoRun.objects.filter(pk__in=ids).order_by("pk"))


def _through_queue(demo, user, env: dict, runs: int, batch_size: int) -> dict:
    worker = _worker({**env, "DEMO_BATCH_SIZE": str(batch_size)})
    try:
        _queue_and_wait(demo, user, 1)  # the child has imported torch and loaded the model
        elapsed, done = _queue_and_wait(demo, user, runs)
    finally:
        _stop(worker)
    statuses = Counter(r.status for r in done)
    if statuses != {"done": runs}:
        sys.exit(f"not every run finished: {dict(statuses)}; errors: {[r.error for r in done if r.error][:3]}")
    batches = Counter(r.claimed_by for r in done)
    latencies = sorted(r.latency_ms for r in done)
    return {"runs_per_s": round(runs / elapsed, 1), "seconds": round(elapsed, 3), "batches": len(batches),
            "mean_batch": round(runs / len(batches), 2), "device": done[0].device,
            "latency_ms_p50": latencies[len(latencies) // 2], "latency_ms_p95": latencies[int(len(latencies) * .95)],
            "batch_sizes": [batches[k] for k in sorted(batches, key=lambda k: min(r.pk for r in done
                                                                               if r.claimed_by == k))]}


def _direct(demo, batch_sizes: list[int], new_tokens: int) -> dict:
    """The same model in this process, the same inputs in the same batches, one after another."""
    from meetup.demos import inference

    inference.predict(repo_id=REPO, revision=demo.revision, task=demo.task, inputs=PROMPTS[:1],
                      max_new_tokens=new_tokens)
    i = 0
    started = time.perf_counter()
    for size in batch_sizes:
        inputs = [PROMPTS[(i + k) % len(PROMPTS)] for k in range(size)]
        inference.predict(repo_id=REPO, revision=demo.revision, task=demo.task, inputs=inputs,
                          max_new_tokens=new_tokens)
        i += size
    elapsed = time.perf_counter() - started
    return {"runs_per_s": round(sum(batch_sizes) / elapsed, 1), "seconds": round(elapsed, 3),
            "device": inference.device()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--new-tokens", type=int, default=16)
    args = parser.parse_args()
    cache = tempfile.mkdtemp(prefix="bench-hub-")
    limits = {"DEMO_RUNS_PER_MINUTE_USER": "1000000", "DEMO_RUNS_PER_MINUTE_IP": "1000000",
              "DEMO_MAX_NEW_TOKENS": str(args.new_tokens), "HF_HUB_CACHE": cache}
    stack.ENV.update(limits)
    stack.fresh_database()
    from django.conf import settings

    from hubsync.models import HubModel
    from meetup.accounts.models import User
    from meetup.demos.models import Demo
    from meetup.demos.tiny import tiny_model_store
    from meetup.showcase.models import Project, ProjectLink

    sha = tiny_model_store(cache_dir=cache, repo_id=REPO, kind="gpt2")
    settings.DEMO_MODEL_CACHE = cache
    user = User.objects.create(username="visitor", email="visitor@example.org")
    hub_model = HubModel.objects.create(repo_id=REPO, sha=sha, pipeline_tag="text-generation")
    project = Project.objects.create(title="Bench", slug="bench", summary="A demo.", created_by=user)
    ProjectLink.objects.create(project=project, requested_id=REPO, hub_model=hub_model, status="linked")
    demo = Demo.objects.create(project=project, hub_model=hub_model, task="text-generation", revision=sha,
                               enabled=True, max_new_tokens=args.new_tokens)
    env = {**stack.ENV, "HF_HUB_OFFLINE": "1", "DATA_DIR": tempfile.mkdtemp(prefix="bench-gpu-")}

    queued = _through_queue(demo, user, env, args.runs, args.batch_size)
    unbatched = _through_queue(demo, user, env, args.runs, 1)
    direct = _direct(demo, queued["batch_sizes"], args.new_tokens)
    stack.report("demo_inference", {
        "runs": args.runs, "batch_size": args.batch_size, "new_tokens": args.new_tokens,
        "model": "tiny random GPT-2 (2 layers, 32 wide)",
        "queue": {k: v for k, v in queued.items() if k != "batch_sizes"},
        "queue_unbatched": {k: v for k, v in unbatched.items() if k != "batch_sizes"},
        "direct": direct,
        "ratio": round(queued["runs_per_s"] / direct["runs_per_s"], 3),
        "batching_speedup": round(queued["runs_per_s"] / unbatched["runs_per_s"], 2),
        "judged": direct["device"] == "cuda", "target": 0.8,
        "median_batch": statistics.median(queued["batch_sizes"]),
    })


if __name__ == "__main__":
    main()
