"""What the showcase tells the apps beside and above it; connected at project level (meetup/apps.py)."""

from django.dispatch import Signal

# Moderators closed reports (hid the content or dismissed them): kwargs report_ids. Sent inside
# the moderation's transaction; each reporter is owed one email with the outcome.
reports_closed = Signal()

# People were invited to a project's team: kwargs invitation_ids. Sent inside the transaction that
# creates them; each invitee is owed one email.
project_invitations_created = Signal()
