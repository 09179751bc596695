"""Who may set up demos."""

from meetup.accounts.roles import is_organiser
from meetup.events.roles import can_manage_event


def can_manage_demo(user, project) -> bool:
    """Who may set up a project's demo: staff, the organisers of the event it was shown at, and
    any organiser for a project shown at no event."""
    if not is_organiser(user) and not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_staff:
        return True
    return can_manage_event(user, project.event) if project.event_id else True
