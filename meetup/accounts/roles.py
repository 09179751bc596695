"""Who may do what. Pages and API endpoints ask these functions rather than checking flags."""

ORGANISER_GROUP = "Organisers"
ORGANISE_PERMISSION = "accounts.organise"


def is_organiser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(ORGANISE_PERMISSION))


def can_manage_event(user, event) -> bool:
    """Organisers of this event, and staff."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or event.organisers.filter(pk=user.pk).exists()
