from celery import shared_task


@shared_task(name="events.send_owed_rsvp_emails", acks_late=True)
def send_owed_rsvp_emails() -> int:
    """Run by beat every few seconds; several at once share the work without sending twice."""
    from meetup.events.notifications import rsvp_emails_send_owed

    return rsvp_emails_send_owed()
