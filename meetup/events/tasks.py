"""Celery tasks of the events app: ids in (or none), a service call, nothing else."""

from celery import shared_task
from django.utils import timezone

from meetup.events.models import Event
from meetup.events.services import forecast_alerts_check, holds_expire, offers_expire, reconfirmations_due


@shared_task(name="events.expire_holds")
def expire_holds() -> int:
    """Run by beat every minute: venues held past their expiry become free again."""
    return holds_expire()


@shared_task(name="events.check_forecasts")
def check_forecasts() -> int:
    """Run by beat: alert organisers of upcoming events whose forecast passes their venue's size."""
    fired = 0
    for event in Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=timezone.now()):
        fired += len(forecast_alerts_check(event=event))
    return fired


@shared_task(name="events.expire_offers")
def expire_offers() -> dict:
    """Run by beat every 30 seconds: unclaimed offers past their time pass to the next person, and
    events whose "still coming?" day has come ask everyone going."""
    return {"expired": offers_expire(), "reconfirmations": reconfirmations_due()}
