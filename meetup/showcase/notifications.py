"""What the showcase's automatic emails say, built at send time from one outbox delivery."""

from django.urls import reverse

from meetup.lib import emails
from meetup.showcase.models import ProjectInvitation, Report


def report_outcome_email(delivery):
    """The outcome of a report (the delivery's key is "report:<id>"); None while it is still open."""
    report = Report.objects.select_related("reporter", "project", "comment__project").filter(
        pk=int(delivery.key.split(":", 1)[1])).first()
    if report is None or report.status == Report.Status.OPEN or not report.reporter.email:
        return None
    target = report.project or report.comment.project
    return emails.build("report-outcome", to=report.reporter.email, context={
        "report": report, "user": report.reporter, "project": target,
        "kind": "project" if report.project_id else "comment", "hidden": report.status == Report.Status.HIDDEN,
    })


def project_invitation_email(delivery):
    """An invitation to a project's team (key "project-invitation:<id>"); None once it is no longer
    pending."""
    invitation_id = delivery.key.removeprefix("project-invitation:")
    invitation = (ProjectInvitation.objects.select_related("project", "invited_by")
                  .filter(pk=invitation_id, status=ProjectInvitation.Status.PENDING).first()
                  if invitation_id.isdigit() else None)
    if invitation is None or invitation.user_id != delivery.user_id:
        return None
    return emails.build("project-team-invitation", to=delivery.user.email, context={
        "user": delivery.user, "invitation": invitation, "project": invitation.project,
        "inviter": invitation.invited_by.public_name if invitation.invited_by else "Someone",
        "path": reverse("project_invitations"),
    })
