"""The consent wording shown to people, in their language. The ledger stores the exact text they saw
(the translation active when it is recorded), so change it here only by adding a new version of the
sentence, never by editing what was agreed to."""

from django.utils.translation import gettext_lazy as _

SMS_WORDING = _(
    "Text me updates about events I RSVP to (venue changes, reminders, announcements). "
    "Message and data rates may apply. Reply STOP to opt out, HELP for help."
)
EMAIL_WORDING = _("Email me updates and announcements about events I RSVP to. Every email has an unsubscribe link.")

WORDING = {"sms": SMS_WORDING, "email": EMAIL_WORDING}
SIGNUP_EMAIL_WORDING = _(
    "By creating an account you agree to receive emails about events you RSVP to. "
    "You can turn them off on your profile or with the link in any email."
)
