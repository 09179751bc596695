"""The worker's side, in this process: claiming batches, ending runs, the sweeper, and running
the tiny models for real."""

import os
import signal
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.utils import timezone

from meetup.demos import services
from meetup.demos.models import DemoRun

pytestmark = pytest.mark.django_db


def _queued(demo, n, **fields):
    return [DemoRun.objects.create(demo=demo, input=f"hello {i}", **fields) for i in range(n)]


def test_a_batch_takes_the_asking_run_first_then_the_oldest_up_to_the_batch_size(make_demo, settings):
    settings.DEMO_BATCH_SIZE = 3
    demo = make_demo("text-generation")
    runs = _queued(demo, 5)

    claimed = services.demo_runs_claim(demo=demo, first_id=runs[4].pk, claimed_by="task-1")

    assert {r.pk for r in claimed} == {runs[4].pk, runs[0].pk, runs[1].pk}
    assert {(r.status, r.batch_size, r.claimed_by) for r in claimed} == {("running", 3, "task-1")}


def test_a_claimed_run_is_never_claimed_again(make_demo):
    demo = make_demo("text-generation")
    runs = _queued(demo, 2)
    services.demo_runs_claim(demo=demo, first_id=runs[0].pk, claimed_by="task-1")

    assert services.demo_runs_claim(demo=demo, first_id=runs[0].pk, claimed_by="task-2") == []


def test_runs_of_other_demos_are_not_taken_into_the_batch(make_demo):
    demo, other = make_demo("text-generation"), make_demo("fill-mask")
    mine, theirs = _queued(demo, 1), _queued(other, 1)

    claimed = services.demo_runs_claim(demo=demo, first_id=mine[0].pk, claimed_by="task-1")

    assert [r.pk for r in claimed] == [mine[0].pk]
    assert DemoRun.objects.get(pk=theirs[0].pk).status == "queued"


def test_the_sweeper_ends_runs_left_running_by_a_dead_worker_and_runs_no_worker_took(make_demo, settings):
    settings.DEMO_HARD_TIME_LIMIT, settings.DEMO_QUEUE_TIMEOUT = 90, 300
    demo = make_demo("text-generation")
    later = timezone.now() + timedelta(seconds=301)
    stuck, fresh = _queued(demo, 2, status="running")
    waiting = _queued(demo, 1)[0]
    DemoRun.objects.filter(pk=stuck.pk).update(started_at=later - timedelta(seconds=121))
    DemoRun.objects.filter(pk=fresh.pk).update(started_at=later - timedelta(seconds=60))

    with time_machine.travel(later):
        result = services.demo_runs_sweep()

    stuck.refresh_from_db(), fresh.refresh_from_db(), waiting.refresh_from_db()
    assert result == {"timed_out": 1, "expired": 1}
    assert (stuck.status, fresh.status, waiting.status) == ("timed_out", "running", "failed")
    assert "busy or offline" in waiting.error and stuck.finished_at is not None


def test_the_sweeper_wakes_the_worker_for_runs_waiting_with_no_task_on_its_way(
        make_demo, published, django_capture_on_commit_callbacks):
    demo = make_demo("text-generation")
    waiting = _queued(demo, 2)

    with time_machine.travel(timezone.now() + timedelta(seconds=11)), django_capture_on_commit_callbacks(
            execute=True):
        services.demo_runs_sweep()
        services.demo_runs_sweep()

    assert [p["args"] for p in published if p["task"] == "demos.run"] == [[waiting[0].pk]]


def test_a_finished_batch_wakes_the_worker_again_for_the_runs_left(
        make_demo, model_cache, settings, published, django_capture_on_commit_callbacks):
    settings.DEMO_BATCH_SIZE = 2
    demo = make_demo("text-generation", max_new_tokens=2)
    runs = _queued(demo, 3)

    with django_capture_on_commit_callbacks(execute=True):
        services.demo_batch_run(run_id=runs[0].pk, claimed_by="t")

    assert [r.status for r in DemoRun.objects.order_by("pk")] == ["done", "done", "queued"]
    assert [p["args"] for p in published if p["task"] == "demos.run"] == [[runs[2].pk]]


def test_a_late_answer_never_overwrites_the_sweeper_s_verdict(make_demo):
    demo = make_demo("text-generation")
    run = _queued(demo, 1, status="timed_out")[0]

    assert services._end([run], status="done", output={"text": "late"}) == 0
    assert DemoRun.objects.get(pk=run.pk).status == "timed_out"


def test_a_hard_time_limit_reported_to_the_task_times_out_the_runs_it_took(make_demo):
    from meetup.demos.tasks import run_demo

    demo = make_demo("text-generation")
    runs = _queued(demo, 2)
    services.demo_runs_claim(demo=demo, first_id=runs[0].pk, claimed_by="task-9")

    run_demo.on_failure(TimeLimitExceeded(90), "task-9", [runs[0].pk], {}, None)

    assert set(DemoRun.objects.values_list("status", flat=True)) == {"timed_out"}


def test_a_demo_switched_off_after_runs_were_queued_fails_them_without_loading_anything(make_demo):
    demo = make_demo("text-generation")
    runs = _queued(demo, 2)
    demo.enabled = False
    demo.save()

    def predict(**kwargs):
        raise AssertionError("nothing may load")

    assert services.demo_batch_run(run_id=runs[0].pk, claimed_by="t", predict=predict) == "not_allowed"
    assert {(r.status, r.error) for r in DemoRun.objects.all()} == {
        ("failed", "This demo was switched off before your turn came.")}


@pytest.mark.parametrize(("task", "text", "key"), [
    ("text-generation", "once upon a time", "text"),
    ("text-classification", "a great story", "labels"),
    ("fill-mask", "open [MASK] for everyone", "candidates"),
    ("feature-extraction", "hello world", "dimensions"),
    ("sentence-similarity", "hello world\nhello\nthe cat sat", "scores"),
])
def test_each_task_runs_the_tiny_model_from_the_cache(make_demo, model_cache, task, text, key):
    demo = make_demo(task, max_new_tokens=4)
    run = _queued(demo, 1)[0]
    DemoRun.objects.filter(pk=run.pk).update(input=text)

    assert services.demo_batch_run(run_id=run.pk, claimed_by="t") == "done"
    run.refresh_from_db()
    assert run.status == "done" and key in run.output and run.device == "cpu"


def test_an_input_the_model_chokes_on_costs_only_its_own_answer(make_demo, model_cache):
    demo = make_demo("fill-mask", max_input_chars=5000)
    good, bad = _queued(demo, 2)
    # Longer than the tiny BERT's 128 positions: the batch fails, then each input is run alone.
    DemoRun.objects.filter(pk=good.pk).update(input="open [MASK]")
    DemoRun.objects.filter(pk=bad.pk).update(input="word " * 300 + "[MASK]")

    services.demo_batch_run(run_id=good.pk, claimed_by="t")

    good.refresh_from_db(), bad.refresh_from_db()
    assert (good.status, bad.status) == ("done", "failed")
    assert bad.error == "The model could not answer this input." and bad.batch_size == 2


def test_a_model_missing_from_the_cache_fails_with_a_friendly_message(make_demo, model_cache):
    demo = make_demo("fill-mask", revision="f" * 40)  # a commit nobody prefetched
    run = _queued(demo, 1)[0]

    assert services.demo_batch_run(run_id=run.pk, claimed_by="t") == "failed"
    run.refresh_from_db()
    assert run.status == "failed" and "not ready on the demo worker" in run.error


def test_a_soft_time_limit_during_a_load_is_raised_only_once_the_load_is_done():
    from meetup.demos.inference import _soft_limit_deferred

    finished = []
    with pytest.raises(SoftTimeLimitExceeded):
        with _soft_limit_deferred():
            os.kill(os.getpid(), signal.SIGUSR1)
            finished.append(True)

    assert finished == [True]
