from meetup.accounts.roles import is_organiser


def roles(request):
    return {"is_organiser": is_organiser(getattr(request, "user", None))}
