"""Per-user rate limits on the shared cache (Redis in production, a file cache embedded), so they
hold across every web process."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            what = _("comments") if kind == "comments" else _("reports") if kind == "reports" else kind
            raise Refused("rate_limited", _("Too many %(what)s for now: at most %(allowed)s per %(span)s.") % {
                "what": what, "allowed": allowed, "span": _span(seconds)}, status=429)


def _span(seconds: int) -> str:
    if seconds % 86400 == 0:
        days = seconds // 86400
        return _("day") if days == 1 else ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return _("hour") if hours == 1 else ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    minutes = seconds // 60
    return _("minute") if minutes == 1 else ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
