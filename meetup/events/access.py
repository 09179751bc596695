"""Loading an event for the caller, as pages and the API both do: 404 when they may not see it,
403 when they may see it but not manage it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from meetup.events import selectors
from meetup.events.models import Event
from meetup.events.roles import can_check_in, can_manage_event


def visible_event(request, slug: str, *, counts: bool = True, caller: bool = True, door: bool = False) -> Event:
    event = selectors.event_visible_to(request.user, slug, counts=counts, caller=caller, door=door)
    if event is None:
        raise Http404(_("No such event."))
    return event


def managed_event(request, slug: str, *, counts: bool = True) -> Event:
    event = visible_event(request, slug, counts=counts)
    if not can_manage_event(request.user, event):
        raise PermissionDenied(_("Only this event's organisers may do this."))
    return event


def door_event(request, slug: str, *, counts: bool = True) -> Event:
    """The event for the door page and check-in API: organisers and door staff."""
    event = visible_event(request, slug, counts=counts, door=True)
    if not can_check_in(request.user, event):
        raise PermissionDenied(_("Only this event's organisers and door staff may check people in."))
    return event
