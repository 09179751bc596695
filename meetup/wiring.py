"""Connections between apps of the same layer, which never import each other: the showcase's
moderation outcomes go out through the broadcast outbox."""

from meetup.broadcasts import services as broadcasts
from meetup.broadcasts.models import Broadcast
from meetup.broadcasts.registry import register_email
from meetup.showcase import notifications as showcase_notifications
from meetup.showcase import signals as showcase_signals
from meetup.showcase.models import Report


def reports_closed(sender, report_ids, **kwargs):
    reporters = Report.objects.filter(pk__in=report_ids, reporter__email__gt="").values_list("pk", "reporter_id")
    broadcasts.automatic_send(kind=Broadcast.Kind.MODERATION, messages=[
        (reporter_id, f"report:{report_id}", "report-outcome") for report_id, reporter_id in reporters])


def connect() -> None:
    register_email(Broadcast.Kind.MODERATION, showcase_notifications.report_outcome_email)
    showcase_signals.reports_closed.connect(reports_closed, dispatch_uid="meetup.reports_closed")
