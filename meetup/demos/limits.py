"""Rate limits for demo runs on the shared cache (Redis in production), per person and per
address, so they hold across every web process."""

from django.conf import settings
from django.utils.translation import gettext as _

from meetup.lib.errors import Refused
from meetup.lib.limits import window_count

WINDOW = 60


def _hit(key: str, allowed: int) -> bool:
    return window_count(key, WINDOW) <= allowed


def run_limit_hit(*, user_id: int | None, ip: str | None) -> None:
    """Count one run for the person and the address; Refused (429) once either has had its share
    this minute."""
    checks = []
    if user_id is not None:
        checks.append((f"demos:limit:user:{user_id}", settings.DEMO_RUNS_PER_MINUTE_USER,
                       _("Too many demo runs from you for now: at most %(allowed)s a minute. Try again in a minute.")))
    if ip:
        checks.append((f"demos:limit:ip:{ip}", settings.DEMO_RUNS_PER_MINUTE_IP,
                       _("Too many demo runs from your network for now: at most %(allowed)s a minute. "
                         "Try again in a minute.")))
    for key, allowed, message in checks:
        if not _hit(key, allowed):
            raise Refused("rate_limited", message % {"allowed": allowed}, status=429)
