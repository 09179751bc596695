"""Connections between apps of the same layer, which never import each other: the showcase's
moderation outcomes and invitations to project teams go out through the broadcast outbox."""

from meetup.broadcasts import services as broadcasts
from meetup.broadcasts.models import Broadcast
from meetup.broadcasts.registry import register_email
from meetup.showcase import notifications as showcase_notifications
from meetup.showcase import signals as showcase_signals
from meetup.showcase.models import ProjectInvitation, Report


def reports_closed(sender, report_ids, **kwargs):
    reporters = Report.objects.filter(pk__in=report_ids, reporter__email__gt="").values_list("pk", "reporter_id")
    broadcasts.automatic_send(kind=Broadcast.Kind.MODERATION, messages=[
        (reporter_id, f"report:{report_id}", "report-outcome") for report_id, reporter_id in reporters])


def project_invitations_created(sender, invitation_ids, **kwargs):
    invitees = ProjectInvitation.objects.filter(pk__in=invitation_ids).values_list("pk", "user_id")
    broadcasts.automatic_send(kind=Broadcast.Kind.PROJECT_TEAM, messages=[
        (user_id, f"project-invitation:{invitation_id}", "project-team-invitation")
        for invitation_id, user_id in invitees])


def connect() -> None:
    register_email(Broadcast.Kind.MODERATION, showcase_notifications.report_outcome_email)
    showcase_signals.reports_closed.connect(reports_closed, dispatch_uid="meetup.reports_closed")
    register_email(Broadcast.Kind.PROJECT_TEAM, showcase_notifications.project_invitation_email)
    showcase_signals.project_invitations_created.connect(
        project_invitations_created, dispatch_uid="meetup.project_invitations_created")
