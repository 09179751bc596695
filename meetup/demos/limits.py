"""Rate limits for demo runs on the shared cache (Redis in production), per person and per
address, so they hold across every web process."""

from django.conf import settings
from django.core.cache import cache

from meetup.lib.errors import Refused

WINDOW = 60


def _hit(key: str, allowed: int) -> bool:
    cache.add(key, 0, timeout=WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW)
        count = 1
    return count <= allowed


def run_limit_hit(*, user_id: int | None, ip: str | None) -> None:
    """Count one run for the person and the address; Refused (429) once either has had its share
    this minute."""
    checks = []
    if user_id is not None:
        checks.append((f"demos:limit:user:{user_id}", settings.DEMO_RUNS_PER_MINUTE_USER, "you"))
    if ip:
        checks.append((f"demos:limit:ip:{ip}", settings.DEMO_RUNS_PER_MINUTE_IP, "your network"))
    for key, allowed, who in checks:
        if not _hit(key, allowed):
            raise Refused("rate_limited", f"Too many demo runs from {who} for now: at most {allowed} a minute. "
                          "Try again in a minute.", status=429)
