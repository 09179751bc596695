"""The reads everyone makes after the tweet, answered from the cache for a second.

`GET /api/events/{slug}`, the event page as a visitor with no session sees it, and the live counter
every open page polls give the same bytes to everyone who may see an event that is not a draft. They
are kept in the shared cache for `READ_CACHE_SECONDS` (1 by default; 0 turns this off), per language
where the bytes are translated, so a surge of readers costs one render per second per read, not one
per reader.

What may be that old: the going and waitlist counts and the list of who's going. An RSVP never is:
it takes its seat under the capacity rule, not from a count it read. A change to the event or its
venue forgets the event's reads when it commits (`forget_on_commit`), so an organiser's edit, a
capacity change, unpublishing or a venue move shows at once.

Never cached: drafts (only their organisers may see them), pages for visitors with a session (their
RSVP, their name, their messages) or with a query string (an invitation or a source to remember), and
anything but a 200. A stored page holds a placeholder where the visitor's CSRF token goes; each
answer puts the visitor's own token there, so forms on a cached page work and no token is shared.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.validators import slug_re
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject

from meetup.events.models import Event

KINDS = ("api", "page", "counter")
_SLUG_LENGTH = Event._meta.get_field("slug").max_length

# Derived from the secret key, so no event text can contain it on purpose.
CSRF_PLACEHOLDER = SimpleLazyObject(lambda: "csrf" + salted_hmac("events.readcache", "csrf-token").hexdigest()[:28])


def _seconds() -> int:
    return settings.READ_CACHE_SECONDS


def _key(kind: str, slug: str, language: str) -> str | None:
    """None for what cannot be an event's slug (the API takes any text): never looked up."""
    if not (_seconds() and len(slug) <= _SLUG_LENGTH and slug_re.match(slug)):
        return None
    return f"read:{kind}:{slug}:{language}"


def get(kind: str, slug: str, language: str = "") -> bytes | None:
    key = _key(kind, slug, language)
    return cache.get(key) if key else None


def keep(kind: str, slug: str, body: bytes, language: str = "") -> None:
    if key := _key(kind, slug, language):
        cache.set(key, body, timeout=_seconds())


def forget(*slugs: str) -> None:
    languages = ["", *(code for code, _name in settings.LANGUAGES)]
    keys = [_key(kind, slug, language) for slug in slugs for kind in KINDS for language in languages]
    cache.delete_many([key for key in keys if key])


def forget_on_commit(*slugs: str) -> None:
    """Forget these events' reads once the change commits (at once outside a transaction). A read
    that began before the change and stores after it is at most READ_CACHE_SECONDS old."""
    if slugs:
        transaction.on_commit(lambda: forget(*slugs), robust=True)


def cookieless_visit(request) -> bool:
    """A GET with no session and no query string: the visitor sees what every such visitor sees."""
    return (request.method == "GET" and not request.GET and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES)


def page_response(request, page: bytes) -> HttpResponse:
    """A stored page with this visitor's CSRF token in place of the placeholder (the CSRF
    middleware sets the visitor's cookie to match)."""
    page = page.replace(str(CSRF_PLACEHOLDER).encode(), get_token(request).encode())
    return HttpResponse(page, content_type="text/html; charset=utf-8")


def event_changed(sender, instance, **kwargs) -> None:
    forget_on_commit(instance.slug)


def venue_changed(sender, instance, **kwargs) -> None:
    forget_on_commit(*Event.objects.filter(venue_id=instance.pk).values_list("slug", flat=True))
