from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from meetup.accounts.services import signup_consent_record


@receiver(user_signed_up, dispatch_uid="accounts.signup_consent")
def _record_signup_consent(sender, request, user, **kwargs):
    signup_consent_record(user=user)
