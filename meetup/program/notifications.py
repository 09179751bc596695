"""The decision email: built at send time from the application as it is then."""

from django.urls import reverse

from meetup.lib import emails
from meetup.program.models import Application, TeamInvitation


def decision_email_for(delivery):
    """One delivery of a call's decision notice (see broadcasts.registry); None when it no longer
    applies (the application is gone, its decision differs, or the person left its team)."""
    application_id = delivery.key.removeprefix("decision:")
    application = (Application.objects.select_related("call").filter(pk=application_id).first()
                   if application_id.isdigit() else None)
    if (application is None or application.call.decisions_broadcast_id != delivery.broadcast_id
            or application.decision != delivery.template
            or not application.members.filter(user_id=delivery.user_id).exists()):
        return None
    context = {
        "user": delivery.user, "call": application.call, "application": application,
        "accepted": application.decision == Application.Decision.ACCEPTED,
        "path": reverse("program_application", args=[application.pk]),
    }
    return emails.build("program-decision", to=delivery.user.email, context=context)


def team_invitation_email_for(delivery):
    """An invitation to an application's team (key "program-invitation:<id>"); None once it is no
    longer pending."""
    invitation_id = delivery.key.removeprefix("program-invitation:")
    invitation = (TeamInvitation.objects.select_related("application__call", "invited_by", "user")
                  .filter(pk=invitation_id, status=TeamInvitation.Status.PENDING).first()
                  if invitation_id.isdigit() else None)
    if invitation is None or invitation.user_id != delivery.user_id:
        return None
    return emails.build("program-team-invitation", to=delivery.user.email, context={
        "user": delivery.user, "invitation": invitation, "application": invitation.application,
        "call": invitation.application.call,
        "inviter": invitation.invited_by.public_name if invitation.invited_by else "Someone",
        "path": reverse("program_home"),
    })
