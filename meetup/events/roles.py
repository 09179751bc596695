"""Who may do what with an event. Pages and API endpoints ask these functions rather than checking
flags; invariant 7 (organiser-only contact data) lives in can_see_contacts."""


def can_manage_event(user, event) -> bool:
    """Organisers of this event, and staff."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_staff:
        return True
    # Selectors annotate this when they load the event for the caller; saves a query.
    known = getattr(event, "caller_organises", None)
    return known if known is not None else event.organisers.filter(pk=user.pk).exists()


def can_check_in(user, event) -> bool:
    """The door: organisers of this event, its door staff, and staff."""
    if can_manage_event(user, event):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    known = getattr(event, "caller_at_door", None)
    return known if known is not None else event.door_staff.filter(pk=user.pk).exists()


def can_see_contacts(user, event) -> bool:
    """Attendees' emails and phone numbers: the event's organisers and staff only (never door staff,
    attendees or strangers)."""
    return can_manage_event(user, event)
