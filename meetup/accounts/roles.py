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


MODERATOR_GROUP = "Moderators"
MODERATE_PERMISSION = "accounts.moderate"


def can_moderate(user) -> bool:
    """Staff, organisers, and people given the moderate permission (the Moderators group)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.has_perm(ORGANISE_PERMISSION) or user.has_perm(MODERATE_PERMISSION)


def can_manage_demo(user, project) -> bool:
    """Who may set up a project's demo: staff, the organisers of the event it was shown at, and
    any organiser for a project shown at no event."""
    if not is_organiser(user) and not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_staff:
        return True
    return can_manage_event(user, project.event) if project.event_id else True
