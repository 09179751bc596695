"""Who may do what with a program call."""


def can_manage_call(user, call) -> bool:
    """Organisers of this program call, and staff."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or call.organisers.filter(pk=user.pk).exists()


def is_judge(user, call) -> bool:
    """On this program call's judging panel."""
    return bool(user and user.is_authenticated and user.is_active and call.judges.filter(pk=user.pk).exists())
