"""Site-wide roles (organisers, moderators) held through groups and permissions. Each app keeps
its own rules in its roles.py (events, program, demos), built on these."""

from django.contrib.auth.models import Permission
from django.db.models import Q

ORGANISER_GROUP = "Organisers"
ORGANISE_PERMISSION = "accounts.organise"
MODERATOR_GROUP = "Moderators"
MODERATE_PERMISSION = "accounts.moderate"
_ROLES = (ORGANISE_PERMISSION, MODERATE_PERMISSION)


def _roles(user) -> frozenset[str]:
    """The role permissions an active user holds, given directly or through a group, in one query
    (Django's has_perm reads every permission in two), kept on the user object for the request as
    Django keeps its own permission cache."""
    roles = getattr(user, "_site_roles", None)
    if roles is None:
        if user.is_superuser:
            roles = frozenset(_ROLES)
        else:
            rows = Permission.objects.filter(
                Q(user=user) | Q(group__user=user), content_type__app_label="accounts",
                codename__in=[role.split(".", 1)[1] for role in _ROLES],
            ).values_list("codename", flat=True).distinct()
            roles = frozenset(f"accounts.{codename}" for codename in rows)
        user._site_roles = roles
    return roles


def is_organiser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and ORGANISE_PERMISSION in _roles(user))


def can_moderate(user) -> bool:
    """Staff, organisers, and people given the moderate permission (the Moderators group)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or bool(_roles(user) & {ORGANISE_PERMISSION, MODERATE_PERMISSION})
