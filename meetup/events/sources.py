"""Where a registration came from: the `?ref=` or `utm_source` of the event link, made safe to
store, show and export (a bounded slug of letters, digits, dots, dashes and underscores)."""

import re

MAX_LENGTH = 40
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def source_clean(value) -> str:
    if not isinstance(value, str):
        return ""
    value = _UNSAFE.sub("-", value[:200].strip().lower()).strip("-._")
    return value[:MAX_LENGTH].strip("-._")


def source_from(params) -> str:
    """The source named by request parameters (`ref` first, then `utm_source`)."""
    return source_clean(params.get("ref") or params.get("utm_source") or "")
