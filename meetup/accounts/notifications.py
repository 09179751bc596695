"""What the accounts app's automatic emails say, built at send time from one outbox delivery (the
broadcasts app registers the builder for its ACCOUNT kind)."""

from django.utils import timezone

from meetup.accounts.models import DeletionCode
from meetup.accounts.privacy import CODE_MINUTES, deletion_code_value
from meetup.lib import emails


def deletion_code_email(delivery):
    """The code confirming an account's deletion (key "deletion-code:<id>"); None once it was used
    or expired, or when the account has no address any more."""
    code = DeletionCode.objects.select_related("user").filter(pk=int(delivery.key.split(":", 1)[1])).first()
    if code is None or code.used_at is not None or code.expires_at <= timezone.now() or not code.user.email:
        return None
    return emails.build("account-deletion-code", to=code.user.email, context={
        "user": code.user, "code": deletion_code_value(code), "minutes": CODE_MINUTES})
