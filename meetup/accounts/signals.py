from allauth.account.signals import email_changed, user_signed_up
from django.dispatch import receiver

from meetup.accounts.models import User
from meetup.accounts.services import signup_consent_record


@receiver(user_signed_up, dispatch_uid="accounts.signup_consent")
def _record_signup_consent(sender, request, user, **kwargs):
    signup_consent_record(user=user)


@receiver(email_changed, dispatch_uid="accounts.email_changed")
def email_deliverable_again(sender, request, user, from_email_address, to_email_address, **kwargs):
    """A new address has not bounced: emails may go to it again."""
    User.objects.filter(pk=user.pk).update(email_undeliverable_at=None)
