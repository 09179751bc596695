"""Demo runs through a real gpu worker process (prefork, one child) on Redis, serving tiny models
from a local Hub cache with HF_HUB_OFFLINE=1, so nothing could be downloaded."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import transaction

from meetup.demos import services
from meetup.demos.models import DemoRun
from tests.factories import UserFactory
from tests.workers import ROOT, broker_url, start_worker, stop_worker, worker_env

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SOFT_LIMIT, HARD_LIMIT = 20, 40


@pytest.fixture(scope="module")
def gpu_worker(tiny_hub, django_db_setup, django_db_blocker, tmp_path_factory):
    """`celery -A meetup worker -Q gpu -P prefork -c 1` with a short soft time limit."""
    # A broker database per test process: two gpu workers on one would take each other's tasks.
    broker = broker_url(10 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0))
    env = worker_env(broker, tmp_path_factory.mktemp("gpu-worker"), HF_HUB_OFFLINE=1, HF_HUB_CACHE=tiny_hub.cache,
                     DEMO_SOFT_TIME_LIMIT=SOFT_LIMIT, DEMO_HARD_TIME_LIMIT=HARD_LIMIT, DEMO_MAX_NEW_TOKENS=8000,
                     DEMO_BATCH_SIZE=8, DEMO_BATCH_WINDOW_MS=50)
    worker = start_worker(env, "gpu", concurrency=1, pool="prefork")
    worker.broker = broker
    yield worker
    children = _children(worker.pid)
    stderr = stop_worker(worker)
    # Its child holds a connection to the test database, which is dropped at the end of the session.
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    if os.environ.get("SHOW_WORKER_LOG"):  # to read the worker's warnings when a test here fails
        print(stderr)


def _send(worker, runs, *, soft_time_limit=SOFT_LIMIT) -> None:
    """Publish the runs' tasks to the worker's broker, as the web process does on commit (the
    test process's own broker is in memory); the task routes say which queue. A message carries
    its sender's time limits: the web process shares the worker's settings, so send the worker's."""
    from meetup.celery import app

    with app.connection_for_write(worker.broker) as conn:
        for run in runs:
            app.send_task("demos.run", args=[run.pk], connection=conn, soft_time_limit=soft_time_limit,
                          time_limit=HARD_LIMIT)


def _queue(demo, *texts, user=None):
    user = user or UserFactory()
    with transaction.atomic():
        return [services.demo_run_create(demo=demo, user=user, ip=None, text=text) for text in texts]


def _wait(runs, *, timeout=90, seen=None) -> list[DemoRun]:
    """Poll until every run has finished; `seen` collects the statuses observed on the way."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = list(DemoRun.objects.filter(pk__in=[r.pk for r in runs]).order_by("pk"))
        if seen is not None:
            seen.update(r.status for r in now)
        if all(not r.is_live for r in now):
            return now
        time.sleep(0.01)
    raise AssertionError(f"still live after {timeout} s: {[(r.pk, r.status) for r in now]}")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _loads_torch(pid: int) -> bool:
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


def test_a_run_goes_queued_running_done_with_the_model_s_output(gpu_worker, make_demo, tiny_hub):
    demo = make_demo("text-generation", max_new_tokens=50)
    runs = _queue(demo, "hello world")
    seen = {DemoRun.objects.get(pk=runs[0].pk).status}

    _send(gpu_worker, runs)
    (run,) = _wait(runs, seen=seen)

    assert run.status == "done", (run.error, run.inference_ms, gpu_worker.poll())
    assert seen == {"queued", "running", "done"}
    assert len(run.output["text"].split()) == 50  # the tiny model has no end token: all 50 come
    assert (run.repo_id, run.revision, run.device, run.batch_size) == (demo.repo_id, tiny_hub.shas["gpt2"], "cpu", 1)
    assert run.started_at < run.finished_at and run.latency_ms >= run.inference_ms > 0


def test_the_worker_s_parent_never_loads_torch_only_its_child_does(gpu_worker, make_demo):
    demo = make_demo("fill-mask")
    runs = _queue(demo, "open [MASK] for everyone")
    _send(gpu_worker, runs)

    (run,) = _wait(runs)

    assert run.status == "done" and len(run.output["candidates"]) == 5
    children = _children(gpu_worker.pid)
    assert children and all(_loads_torch(pid) for pid in children)
    assert not _loads_torch(gpu_worker.pid)


def test_runs_waiting_for_one_model_go_through_it_in_one_batch_each_with_its_own_answer(
        gpu_worker, make_demo, model_cache):
    from meetup.demos import inference

    demo = make_demo("text-generation", max_new_tokens=12)
    # Prompts of one length, so a batch needs no padding and must match each prompt run alone.
    prompts = ["hello world", "the cat", "open models", "happy dog", "red park"]
    runs = _queue(demo, *prompts)  # all waiting before the worker hears of the first

    _send(gpu_worker, runs)
    done = _wait(runs)

    assert {r.status for r in done} == {"done"}
    assert {r.batch_size for r in done} == {5} and len({r.claimed_by for r in done}) == 1
    alone = [inference.predict(repo_id=demo.repo_id, revision=demo.revision, task=demo.task, inputs=[p],
                               max_new_tokens=12).results[0] for p in prompts]
    assert [r.output for r in done] == alone
    assert len({r.output["text"] for r in done}) > 1


def test_a_run_past_the_time_limit_is_timed_out_and_the_worker_keeps_serving(gpu_worker, make_demo):
    slow = make_demo("text-generation", max_new_tokens=8000)
    quick = make_demo("text-generation", max_new_tokens=5)
    slow_run = _queue(slow, "once upon a time")
    # A limit of 1 s on this task (a message carries its own): 8,000 tokens take several seconds
    # even on a fast machine.
    _send(gpu_worker, slow_run, soft_time_limit=1)
    (timed_out,) = _wait(slow_run)
    quick_run = _queue(quick, "once upon a time")
    _send(gpu_worker, quick_run)

    (answered,) = _wait(quick_run)

    assert timed_out.status == "timed_out" and "too long" in timed_out.error and timed_out.output is None
    assert (timed_out.finished_at - timed_out.started_at).total_seconds() < 5
    assert answered.status == "done" and len(answered.output["text"].split()) == 5
    assert gpu_worker.poll() is None


def test_importing_the_tasks_loads_no_torch_and_so_never_touches_cuda():
    """What a worker's parent imports before it forks: the tasks of every app, the demos' worker
    hooks and inference module included. None of it may import torch."""
    code = ("import sys, django; django.setup(); from meetup.celery import app; app.loader.import_default_modules(); "
            "import meetup.demos.tasks, meetup.demos.worker, meetup.demos.inference, meetup.demos.services; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'torch', 'transformers'}))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "meetup.settings"}

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
