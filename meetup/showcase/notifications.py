"""What the showcase's automatic emails say, built at send time from one outbox delivery."""

from meetup.lib import emails
from meetup.showcase.models import Report


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
