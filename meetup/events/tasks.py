import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="events.send_rsvp_email", acks_late=True, autoretry_for=(OSError,),
             retry_backoff=True, max_retries=5)
def send_rsvp_email(rsvp_id: int, kind: str) -> None:
    """Email an RSVP's state: `going` and `promoted` carry the ticket QR and the calendar file."""
    from meetup.events.notifications import rsvp_email_send

    rsvp_email_send(rsvp_id=rsvp_id, kind=kind)
