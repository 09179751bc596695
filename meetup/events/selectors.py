from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meetup.events.models import RSVP, Event


def event_list_upcoming() -> QuerySet[Event]:
    """Published events that have not ended, with their going and waitlist counts (one query)."""
    return (
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("venue")
        .annotate(
            going_count=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.GOING)),
            waitlist_count=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.WAITLISTED)),
        )
    )


def event_visible_to(user, slug: str) -> Event | None:
    """The event with `slug` if `user` may see it: published or cancelled ones for everyone,
    drafts for their organisers and staff only."""
    event = (
        Event.objects.select_related("venue")
        .annotate(
            going_count=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.GOING)),
            waitlist_count=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.WAITLISTED)),
        )
        .filter(slug=slug)
        .first()
    )
    if event is None:
        return None
    if event.status == Event.Status.DRAFT and not (
        user.is_authenticated and (user.is_staff or event.organisers.filter(pk=user.pk).exists())
    ):
        return None
    return event


def rsvp_for(user, event: Event) -> RSVP | None:
    if not user.is_authenticated:
        return None
    return RSVP.objects.filter(event=event, user=user).first()
