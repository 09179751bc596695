"""Per-user rate limits on the shared cache (Redis in production, a file cache embedded), so they
hold across every web process."""

from meetup.lib.errors import Refused
from meetup.lib.limits import window_count

# (how many, per seconds): a burst limit and a daily one.
COMMENTS = ((5, 60), (200, 86400))
REPORTS = ((5, 600), (30, 86400))
LIKES = ((30, 60), (500, 86400))
PROJECTS = ((5, 3600), (20, 86400))
COMMENT_EDITS = ((10, 60), (200, 86400))


def limit_hit(kind: str, user_id: int, limits=()) -> None:
    """Count one `kind` action by the user; raise Refused (429) once any window is full."""
    for allowed, seconds in limits:
        if window_count(f"showcase:limit:{kind}:{user_id}:{seconds}", seconds) > allowed:
            raise Refused("rate_limited", f"Too many {kind} for now: at most {allowed} per {_span(seconds)}.",
                          status=429)


def _span(seconds: int) -> str:
    if seconds % 86400 == 0:
        return "day" if seconds == 86400 else f"{seconds // 86400} days"
    if seconds % 3600 == 0:
        return "hour" if seconds == 3600 else f"{seconds // 3600} hours"
    return "minute" if seconds == 60 else f"{seconds // 60} minutes"
