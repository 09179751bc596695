"""Celery tasks of the accounts app: a service call, nothing else."""

from celery import shared_task

from meetup.accounts.privacy import retention_run


@shared_task(name="accounts.retention_shred")
def retention_shred() -> dict:
    """Run by beat daily: shred phone numbers and answers kept past RETENTION_DAYS."""
    return retention_run()
