"""Who may do what. Pages and API endpoints ask these functions rather than checking flags."""

ORGANISER_GROUP = "Organisers"
ORGANISE_PERMISSION = "accounts.organise"


def is_organiser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(ORGANISE_PERMISSION))
