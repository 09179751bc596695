from celery import shared_task


@shared_task(name="events.send_owed_rsvp_emails", acks_late=True)
def send_owed_rsvp_emails() -> int:
    """Run by beat every few seconds; several at once share the work without sending twice."""
    from meetup.events.notifications import rsvp_emails_send_owed

    return rsvp_emails_send_owed()


@shared_task(name="events.expire_holds")
def expire_holds() -> int:
    """Run by beat every minute: venues held past their expiry become free again."""
    from meetup.events.services import holds_expire

    return holds_expire()
