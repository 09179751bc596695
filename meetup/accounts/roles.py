"""Site-wide roles (organisers, moderators) held through groups and permissions. Each app keeps
its own rules in its roles.py (events, program, demos), built on these."""

ORGANISER_GROUP = "Organisers"
ORGANISE_PERMISSION = "accounts.organise"


def is_organiser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(ORGANISE_PERMISSION))


MODERATOR_GROUP = "Moderators"
MODERATE_PERMISSION = "accounts.moderate"


def can_moderate(user) -> bool:
    """Staff, organisers, and people given the moderate permission (the Moderators group)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.has_perm(ORGANISE_PERMISSION) or user.has_perm(MODERATE_PERMISSION)
