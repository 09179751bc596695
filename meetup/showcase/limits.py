"""Per-user rate limits on the shared cache (Redis in production, a file cache embedded), so they
hold across every web process."""

from django.core.cache import cache

from meetup.lib.errors import Refused

# (how many, per seconds): a burst limit and a daily one.
COMMENTS = ((5, 60), (200, 86400))
REPORTS = ((5, 600), (30, 86400))


def limit_hit(kind: str, user_id: int, limits=()) -> None:
    """Count one `kind` action by the user; raise Refused (429) once any window is full."""
    for allowed, seconds in limits:
        key = f"showcase:limit:{kind}:{user_id}:{seconds}"
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds)
            count = 1
        if count > allowed:
            raise Refused("rate_limited", f"Too many {kind} for now: at most {allowed} per {_span(seconds)}.",
                          status=429)


def _span(seconds: int) -> str:
    if seconds % 86400 == 0:
        return "day" if seconds == 86400 else f"{seconds // 86400} days"
    if seconds % 3600 == 0:
        return "hour" if seconds == 3600 else f"{seconds // 3600} hours"
    return "minute" if seconds == 60 else f"{seconds // 60} minutes"
