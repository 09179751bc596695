from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetup.events import access
from meetup.events.models import Invitation
from meetup.events.services import team
from meetup.lib.errors import Refused
from meetup.lib.forms import add_errors


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    role = forms.ChoiceField(choices=Invitation.Role.choices, initial=Invitation.Role.DOOR, label=gettext_lazy("Role"))


@login_required
def team_page(request, slug: str):
    """Who runs the event, and invitations for more hands."""
    event = access.managed_event(request, slug, counts=False)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = team.invitation_create(event=event, invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        except Refused as exc:
            form.add_error("email", exc.detail)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("event_team", slug=slug)
    now = timezone.now()
    invitations = [(i, i.state(now)) for i in event.invitations.select_related("invited_by")[:50]]
    return render(request, "events/team.html", {
        "event": event, "form": form, "invitations": invitations,
        "organisers": event.organisers.order_by("display_name"),
        "door_staff": event.door_staff.order_by("display_name"),
    })


@login_required
@require_POST
def invitation_revoke(request, slug: str, invitation_id: int):
    event = access.managed_event(request, slug, counts=False)
    invitation = get_object_or_404(Invitation, pk=invitation_id, event=event)
    if team.invitation_revoke(invitation=invitation, actor=request.user):
        messages.success(request, _("The invitation to %(email)s no longer works.") % {"email": invitation.email})
    return redirect("event_team", slug=slug)


@login_required
@require_POST
def team_remove(request, slug: str, role: str, user_id: int):
    event = access.managed_event(request, slug, counts=False)
    members = event.organisers if role == Invitation.Role.ORGANISER else event.door_staff
    user = get_object_or_404(members.all(), pk=user_id)
    try:
        team.team_remove(event=event, user=user, role=role, actor=request.user)
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("%(public_name)s no longer helps run %(title)s.") % {
            "public_name": user.public_name, "title": event.title})
    return redirect("event_team", slug=slug)


@login_required
def invitation_accept(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("event", "invited_by"), token=token)
    if request.method == "POST":
        try:
            team.invitation_accept(token=token, user=request.user)
        except Refused as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Welcome to the team of %(title)s.") % {"title": invitation.event.title})
            target = "event_dashboard" if invitation.role == Invitation.Role.ORGANISER else "door"
            return redirect(target, slug=invitation.event.slug)
    return render(request, "events/invitation.html", {
        "invitation": invitation, "state": invitation.state(timezone.now()), "user_model": get_user_model()})
