from django.core.cache import cache
from django.utils.translation import gettext as _

from meetup.lib.errors import Refused


def window_count(key: str, seconds: int) -> int:
    """Count one more hit in a fixed window of `seconds` on the shared cache (Redis in production,
    a file cache embedded), so the count holds across every process; returns the count so far."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


# Fixed windows per person for actions a script could repeat: (allowed, seconds).
LIMITS = {
    "like": (60, 60),
    "project-create": (10, 3600),
    "team-invite": (30, 3600),
    "comment-edit": (30, 600),
    "door-search": (120, 60),
}


def refuse_over(action: str, who, *, n: int = 1) -> None:
    """Count `n` more of `action` by `who` (a user id or an address) in its window; past its
    allowance, Refused with a 429 (the API answers it in its error shape, pages show it)."""
    allowed, seconds = LIMITS[action]
    count = 0
    for _unused in range(n):
        count = window_count(f"limit:{action}:{who}", seconds)
    if count > allowed:
        raise Refused("rate_limited", _("Too many requests; try again in %(value)s minute(s).") % {
            "value": seconds // 60 or 1}, status=429)
