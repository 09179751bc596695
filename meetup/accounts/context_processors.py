from meetup.accounts.roles import can_moderate, is_organiser


def roles(request):
    user = getattr(request, "user", None)
    return {"is_organiser": is_organiser(user), "can_moderate": can_moderate(user)}
