"""Who may do what. Pages and API endpoints ask these functions rather than checking flags."""

ORGANISER_GROUP = "Organisers"
ORGANISE_PERMISSION = "accounts.organise"


def is_organiser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(ORGANISE_PERMISSION))


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


MODERATOR_GROUP = "Moderators"
MODERATE_PERMISSION = "accounts.moderate"


def can_moderate(user) -> bool:
    """Staff, organisers, and people given the moderate permission (the Moderators group)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.has_perm(ORGANISE_PERMISSION) or user.has_perm(MODERATE_PERMISSION)


def can_manage_call(user, call) -> bool:
    """Organisers of this program call, and staff."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or call.organisers.filter(pk=user.pk).exists()


def is_judge(user, call) -> bool:
    """On this program call's judging panel."""
    return bool(user and user.is_authenticated and user.is_active and call.judges.filter(pk=user.pk).exists())


def can_manage_demo(user, project) -> bool:
    """Who may set up a project's demo: staff, the organisers of the event it was shown at, and
    any organiser for a project shown at no event."""
    if not is_organiser(user) and not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_staff:
        return True
    return can_manage_event(user, project.event) if project.event_id else True
