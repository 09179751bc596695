"""Personal calendar feeds: a secret token per person, revocable (the old URL then answers 404)."""

import secrets

from django.db import IntegrityError, transaction

from meetup.events.models import CalendarFeed


def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    """The person's feed, made on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(24))
    except IntegrityError:  # made at the same moment by another request
        return CalendarFeed.objects.get(user=user)


def calendar_feed_revoke(*, user) -> None:
    """Stop the person's feed URL from working; the next one gets a new token."""
    CalendarFeed.objects.filter(user=user).delete()
