"""Every write of the demos: setting a demo up, queuing a run, and what the gpu worker records
as it claims, runs and finishes them."""

import logging
import time
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from meetup.demos import limits
from meetup.demos.models import SHA_VALIDATOR, Demo, DemoRun, Task
from meetup.demos.roles import can_manage_demo
from meetup.demos.selectors import is_allowed
from meetup.lib.dispatch import enqueue_on_commit
from meetup.lib.errors import Refused
from meetup.showcase.models import ProjectLink

log = logging.getLogger(__name__)

MASK = "[MASK]"
MAX_SENTENCES = 10
Status = DemoRun.Status


# --- Setting a demo up ----------------------------------------------------------------------------
def demo_configure(*, project, user, repo_id: str, task: str, revision: str = "", enabled: bool = False,
                   max_input_chars: int = 500, max_new_tokens: int = 64) -> Demo:
    """Create or change the project's demo: one of its linked models at a pinned revision (its
    current sha when none is given). Raises PermissionDenied, ValidationError keyed by field."""
    if not can_manage_demo(user, project):
        raise PermissionDenied(_("Only the event's organisers can set up a demo."))
    link = (ProjectLink.objects.select_related("hub_model")
            .filter(project=project, status=ProjectLink.Status.LINKED, repo_type="model",
                    hub_model__repo_id=repo_id).first())
    errors = {}
    if link is None:
        errors["repo_id"] = [_("Choose one of the project's linked models.")]
    if task not in Task.values:
        errors["task"] = [_("Choose one of: %(value)s.") % {"value": ', '.join(Task.values)}]
    revision = revision or (link.hub_model.sha if link else "")
    try:
        SHA_VALIDATOR(revision)
    except ValidationError:
        errors["revision"] = [_("Pin a 40-character commit sha (the model has none recorded yet).")]
    if not 1 <= max_input_chars <= settings.DEMO_MAX_INPUT_CHARS:
        errors["max_input_chars"] = [_("Between 1 and %(demo_max_input_chars)s.") % {
            "demo_max_input_chars": settings.DEMO_MAX_INPUT_CHARS}]
    if not 1 <= max_new_tokens <= settings.DEMO_MAX_NEW_TOKENS:
        errors["max_new_tokens"] = [_("Between 1 and %(demo_max_new_tokens)s.") % {
            "demo_max_new_tokens": settings.DEMO_MAX_NEW_TOKENS}]
    if errors:
        raise ValidationError(errors)
    demo, _created = Demo.objects.update_or_create(project=project, defaults={
        "hub_model": link.hub_model, "task": task, "revision": revision, "enabled": enabled,
        "max_input_chars": max_input_chars, "max_new_tokens": max_new_tokens, "updated_by": user})
    log.info("demo %s: %s@%s %s, %s", demo.pk, repo_id, revision[:7], task, "enabled" if enabled else "disabled")
    return demo


# --- Queuing a run --------------------------------------------------------------------------------
def run_input_clean(*, demo: Demo, text: str) -> str:
    """The input as the model will get it; ValidationError on `input` when it is empty, too long
    or not the shape the task needs."""
    text = (text or "").replace("\x00", "").strip()
    limit = min(demo.max_input_chars, settings.DEMO_MAX_INPUT_CHARS)
    if not text:
        raise ValidationError({"input": [_("Write something for the model first.")]})
    if len(text) > limit:
        raise ValidationError({"input": [_("At most %(limit)s characters for this demo (this is %(count)s).") % {
            "limit": limit, "count": len(text)}]})
    if demo.task == Task.FILL_MASK and text.count(MASK) != 1:
        raise ValidationError({"input": [_("Write %(mask)s once, where the missing word goes.") % {"mask": MASK}]})
    if demo.task == Task.SENTENCE_SIMILARITY:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not 2 <= len(lines) <= MAX_SENTENCES:
            message = _("One sentence per line: the first is compared with the others (2 to %(max_sentences)s lines).")
            raise ValidationError({"input": [message % {"max_sentences": MAX_SENTENCES}]})
        text = "\n".join(lines)
    return text


def demo_run_create(*, demo: Demo, user, ip: str | None, text: str) -> DemoRun:
    """Queue a run of the demo for `user`. Nothing is queued when the demo is off or not
    allow-listed (Refused), the input is not acceptable (ValidationError), or the person or their
    address has had their share this minute (Refused, 429)."""
    if not demo.enabled:
        raise Refused("demo_disabled", _("This demo is switched off for now."), status=409)
    if not is_allowed(demo):
        raise Refused("model_not_allowed", _("This model is not on the list of models the demo worker may run."),
                      status=403)
    text = run_input_clean(demo=demo, text=text)
    limits.run_limit_hit(user_id=user.pk if user and user.is_authenticated else None, ip=ip)
    with transaction.atomic():
        run = DemoRun.objects.create(demo=demo, user=user if user and user.is_authenticated else None, ip=ip,
                                     input=text, repo_id=demo.repo_id, revision=demo.revision)
        demo_kick(demo_id=demo.pk, run_id=run.pk)
    return run


def _kick_key(demo_id: int) -> str:
    return f"demos:kick:{demo_id}"


def demo_kick(*, demo_id: int, run_id: int) -> bool:
    """Wake the gpu worker for the demo's queued runs, unless a task for them is already waiting:
    one task takes a whole batch, so a queue of visitors costs one task per batch, not per run.
    The task clears the mark when it starts and kicks again if runs are left (the sweeper does
    too, should a task be lost)."""
    if not cache.add(_kick_key(demo_id), run_id, timeout=settings.DEMO_QUEUE_TIMEOUT):
        return False
    # The run's time limits travel with it: web and worker read the same settings.
    enqueue_on_commit("demos.run", run_id, soft_time_limit=settings.DEMO_SOFT_TIME_LIMIT,
                      time_limit=settings.DEMO_HARD_TIME_LIMIT)
    return True


def _kick_next(demo_id: int) -> None:
    first = (DemoRun.objects.filter(demo_id=demo_id, status=Status.QUEUED).order_by("created_at", "id")
             .values_list("pk", flat=True).first())
    if first is not None:
        demo_kick(demo_id=demo_id, run_id=first)


# --- The worker's side ----------------------------------------------------------------------------
def _batch_wait(demo: Demo) -> None:
    """Give a batch a short window to fill: visitors who ask within it share one pass of the model."""
    deadline = time.monotonic() + settings.DEMO_BATCH_WINDOW_MS / 1000
    queued = DemoRun.objects.filter(demo=demo, status=Status.QUEUED)
    while time.monotonic() < deadline and queued.count() < settings.DEMO_BATCH_SIZE:
        time.sleep(0.01)


def demo_runs_claim(*, demo: Demo, first_id: int, claimed_by: str) -> list[DemoRun]:
    """Take up to DEMO_BATCH_SIZE queued runs of the demo, `first_id` first and then the oldest,
    and mark them running. Rows another worker holds are skipped, so a run is taken once."""
    with transaction.atomic():
        ids = list(DemoRun.objects.select_for_update(skip_locked=True)
                   .filter(demo=demo, status=Status.QUEUED)
                   .order_by(Case(When(pk=first_id, then=Value(0)), default=Value(1), output_field=IntegerField()),
                             "created_at", "id")
                   .values_list("pk", flat=True)[:settings.DEMO_BATCH_SIZE])
        DemoRun.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=timezone.now(), claimed_by=claimed_by, batch_size=len(ids))
    return list(DemoRun.objects.filter(pk__in=ids, claimed_by=claimed_by, status=Status.RUNNING)
                .order_by("created_at", "id"))


def _end(runs, *, status: str, error: str = "", **fields) -> int:
    """Record how runs ended; only those still live change, so a late answer never overwrites
    the sweeper's verdict (or the other way round)."""
    now = timezone.now()
    ended = 0
    for run in runs:
        ended += DemoRun.objects.filter(pk=run.pk, status__in=[Status.QUEUED, Status.RUNNING]).update(
            status=status, error=error[:300], finished_at=now,
            latency_ms=int((now - run.created_at).total_seconds() * 1000), **fields)
    return ended


def demo_batch_run(*, run_id: int, claimed_by: str, predict=None) -> str:
    """Run the queued run `run_id` together with other runs of its model waiting now (or within
    DEMO_BATCH_WINDOW_MS), and record each result. Called by the gpu worker."""
    run = DemoRun.objects.select_related("demo__hub_model").filter(pk=run_id).first()
    if run is None:
        return "gone"
    cache.delete(_kick_key(run.demo_id))
    try:
        return _batch_run(run, claimed_by=claimed_by, predict=predict)
    finally:
        _kick_next(run.demo_id)  # runs that came during this batch (or past its size) are next


def _batch_run(run: DemoRun, *, claimed_by: str, predict) -> str:
    if predict is None:
        from meetup.demos.inference import predict
    demo = run.demo
    if not is_allowed(demo):
        # Switched off since it was queued: nothing of this demo will load, tell everyone waiting.
        waiting = list(DemoRun.objects.filter(demo=demo, status=Status.QUEUED))
        _end(waiting, status=Status.FAILED, error=gettext_noop("This demo was switched off before your turn came."))
        return "not_allowed"
    _batch_wait(demo)
    runs = demo_runs_claim(demo=demo, first_id=run.pk, claimed_by=claimed_by)
    if not runs:
        return "taken"
    started = time.monotonic()
    try:
        answer = predict(repo_id=demo.repo_id, revision=demo.revision, task=demo.task,
                         inputs=[r.input for r in runs],
                         max_new_tokens=min(demo.max_new_tokens, settings.DEMO_MAX_NEW_TOKENS))
    except SoftTimeLimitExceeded:
        raise  # the task marks the batch timed out
    except Exception as exc:
        from meetup.demos.inference import friendly

        log.exception("demo %s (%s@%s): the batch of %d failed", demo.pk, demo.repo_id, demo.revision[:7], len(runs))
        _end(runs, status=Status.FAILED, error=friendly(exc))
        return "failed"
    elapsed = int((time.monotonic() - started) * 1000)
    for run, result in zip(runs, answer.results, strict=True):
        if isinstance(result, Exception):
            _end([run], status=Status.FAILED, error=gettext_noop("The model could not answer this input."),
                 device=answer.device, inference_ms=elapsed)
        else:
            _end([run], status=Status.DONE, output=result, device=answer.device, inference_ms=elapsed)
    log.info("demo %s: %d run(s) in %d ms on %s", demo.pk, len(runs), elapsed, answer.device)
    return "done"


def demo_runs_time_out(*, claimed_by: str) -> int:
    """The batch a task took ran past its time limit: its runs are timed out."""
    runs = list(DemoRun.objects.filter(claimed_by=claimed_by, status=Status.RUNNING))
    if runs:
        log.warning("demo runs %s timed out", [r.pk for r in runs])
    return _end(runs, status=Status.TIMED_OUT,
                error=gettext_noop("The model took too long on this input; try a shorter one."))


def demo_runs_fail(*, claimed_by: str, error: str) -> int:
    return _end(list(DemoRun.objects.filter(claimed_by=claimed_by, status=Status.RUNNING)),
                status=Status.FAILED, error=error)


def demo_runs_sweep() -> dict:
    """Run by beat: nothing stays live forever. A run still running well past the hard time limit
    belonged to a worker that died; one queued past DEMO_QUEUE_TIMEOUT found no worker in time.
    Demos with runs waiting and no task on its way get one."""
    now = timezone.now()
    firsts = {}
    for run_id, demo_id in (DemoRun.objects.filter(status=Status.QUEUED, created_at__lt=now - timedelta(seconds=10))
                            .order_by("-created_at", "-id").values_list("pk", "demo_id")):
        firsts[demo_id] = run_id
    for demo_id, run_id in firsts.items():
        demo_kick(demo_id=demo_id, run_id=run_id)
    stuck = list(DemoRun.objects.filter(
        status=Status.RUNNING, started_at__lt=now - timedelta(seconds=settings.DEMO_HARD_TIME_LIMIT + 30)))
    stale = list(DemoRun.objects.filter(
        status=Status.QUEUED, created_at__lt=now - timedelta(seconds=settings.DEMO_QUEUE_TIMEOUT)))
    result = {
        "timed_out": _end(stuck, status=Status.TIMED_OUT,
                          error=gettext_noop("The demo worker stopped while running this.")),
        "expired": _end(stale, status=Status.FAILED, error=gettext_noop(
            "The demo worker is busy or offline: nobody got to this in time. Try again later.")),
    }
    if any(result.values()):
        log.warning("demo sweep: %s", result)
    return result

