"""Loading program things for the caller, as pages and the API both do: 404 when they may not
see it, 403 when they may see it but not do this."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from meetup.accounts.roles import is_organiser
from meetup.program import selectors
from meetup.program.models import Application, Call
from meetup.program.roles import can_manage_call, is_judge


def visible_call(request, slug: str) -> Call:
    call = selectors.call_for(slug)
    if call is None:
        raise Http404(_("No such call."))
    return call


def managed_call(request, slug: str) -> Call:
    call = visible_call(request, slug)
    if not can_manage_call(request.user, call):
        raise PermissionDenied(_("Only this call's organisers may do this."))
    return call


def judged_call(request, slug: str) -> Call:
    call = visible_call(request, slug)
    if not is_judge(request.user, call):
        raise PermissionDenied(_("Only this call's judges may do this."))
    return call


def require_organiser(request) -> None:
    if not is_organiser(request.user):
        raise PermissionDenied(_("Only organisers may create calls."))


def _application(pk: int) -> Application | None:
    return Application.objects.select_related("call", "created_by").filter(pk=pk).first()


def own_application(request, pk: int) -> Application:
    """An application the caller is on the team of; anyone else's is not found."""
    application = _application(pk)
    if application is None or not selectors.is_applicant(request.user, application):
        raise Http404(_("No such application."))
    return application


def judged_application(request, pk: int) -> Application:
    """An application the caller judges (assigned, not conflicted); anything else is not found."""
    application = _application(pk)
    if application is None or not is_judge(request.user, application.call) or not selectors.visible_to_judge(
            application, request.user):
        raise Http404(_("No such application."))
    return application


def managed_application(request, pk: int) -> Application:
    application = _application(pk)
    if application is None or not can_manage_call(request.user, application.call):
        raise Http404(_("No such application."))
    return application


def application_role(request, pk: int) -> tuple[Application, str]:
    """The application and how the caller sees it: `organiser`, `applicant` or `judge`; not found
    for everyone else."""
    application = _application(pk)
    if application is not None:
        user = request.user
        if can_manage_call(user, application.call):
            return application, "organiser"
        if selectors.is_applicant(user, application):
            return application, "applicant"
        if is_judge(user, application.call) and selectors.visible_to_judge(application, user):
            return application, "judge"
    raise Http404(_("No such application."))
