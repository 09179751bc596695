"""Hub work on the `default` queue. Tasks take ids and call a service; a rate-limited call is
queued again for when the Hub said to come back, never retried in a loop."""

import logging

from celery import shared_task

from hubsync.client import HubError, RateLimited, RepoRef
from hubsync.models import HubModel
from hubsync.services import author_refresh, hub_paused_for, refresh_plan, repo_sync

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_WAIT = 3600  # longer countdowns outlive the broker's visibility timeout


def later(task, args: list, seconds: int) -> None:
    """Queue `task` again in `seconds` (as the Hub asked)."""
    task.apply_async(args=args, countdown=min(max(1, seconds), MAX_WAIT))


@shared_task(name="hubsync.sync_repo", bind=True, acks_late=True, max_retries=5)
def sync_repo(self, repo_type: str, repo_id: str) -> str:
    """Re-read one repository (a webhook said it changed, or a look-up was owed)."""
    if wait := hub_paused_for():
        later(sync_repo, [repo_type, repo_id], wait)
        return "paused"
    try:
        hub_model = repo_sync(ref=RepoRef(repo_type, repo_id))
    except RateLimited as exc:
        later(sync_repo, [repo_type, repo_id], exc.retry_after)
        return "rate_limited"
    except HubError as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
    return hub_model.status


@shared_task(name="hubsync.refresh_owner", acks_late=True)
def refresh_owner(repo_type: str, author: str) -> int:
    """Refresh every linked repository of one owner from one paged listing."""
    if wait := hub_paused_for():
        later(refresh_owner, [repo_type, author], wait)
        return 0
    try:
        result = author_refresh(repo_type=repo_type, author=author)
    except RateLimited as exc:
        later(refresh_owner, [repo_type, author], exc.retry_after)
        return 0
    except HubError as exc:
        logger.warning("hubsync: listing %s %s failed: %s", repo_type, author, exc)
        return 0
    for repo_id in HubModel.objects.filter(pk__in=result.missing).values_list("repo_id", flat=True):
        sync_repo.delay(repo_type, repo_id)
    return result.changed


@shared_task(name="hubsync.refresh_batch", acks_late=True)
def refresh_batch(hub_model_ids: list[int]) -> int:
    """Refresh a batch of repositories one by one; if the Hub says wait, the rest wait."""
    if wait := hub_paused_for():
        later(refresh_batch, [hub_model_ids], wait)
        return 0
    rows = list(HubModel.objects.filter(pk__in=hub_model_ids).order_by("pk").values_list("pk", "repo_type", "repo_id"))
    done = 0
    for i, (_, repo_type, repo_id) in enumerate(rows):
        try:
            repo_sync(ref=RepoRef(repo_type, repo_id))
        except RateLimited as exc:
            later(refresh_batch, [[pk for pk, _, _ in rows[i:]]], exc.retry_after)
            break
        except HubError as exc:
            logger.warning("hubsync: refreshing %s %s failed: %s", repo_type, repo_id, exc)
        done += 1
    return done


@shared_task(name="hubsync.refresh_linked")
def refresh_linked() -> dict:
    """Run by beat: queue the refresh of every linked repository, by owner listing or in batches."""
    plan = refresh_plan()
    for repo_type, author in plan.owners:
        refresh_owner.delay(repo_type, author)
    for start in range(0, len(plan.singles), BATCH_SIZE):
        refresh_batch.delay(plan.singles[start:start + BATCH_SIZE])
    return {"owners": len(plan.owners), "singles": len(plan.singles)}
