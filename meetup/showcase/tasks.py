"""Celery tasks of the showcase: ids in, a service call."""

from celery import shared_task

from hubsync.client import HubError, RateLimited
from hubsync.services import hub_paused_for
from hubsync.tasks import later
from meetup.showcase.models import ProjectLink
from meetup.showcase.services import link_resolve, trending_recompute


@shared_task(name="showcase.resolve_link", bind=True, acks_late=True, max_retries=5)
def resolve_link(self, link_id: int) -> str:
    """Look a project's Hub link up; a rate-limited look-up is queued again for when the Hub says."""
    link = ProjectLink.objects.filter(pk=link_id).first()
    if link is None or link.status != ProjectLink.Status.PENDING:
        return link.status if link else "gone"
    if wait := hub_paused_for():
        later(resolve_link, [link_id], wait)
        return "paused"
    try:
        return link_resolve(link=link).status
    except RateLimited as exc:
        later(resolve_link, [link_id], exc.retry_after)
        return "rate_limited"
    except HubError as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(name="showcase.recompute_trending")
def recompute_trending() -> int:
    """Run by beat: trending scores decay with time, so they are recomputed every few minutes."""
    return trending_recompute()
