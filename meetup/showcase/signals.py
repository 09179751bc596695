"""What the showcase tells the apps beside and above it; connected at project level (meetup/apps.py)."""

from django.dispatch import Signal

# Moderators closed reports (hid the content or dismissed them): kwargs report_ids. Sent inside
# the moderation's transaction; each reporter is owed one email with the outcome.
reports_closed = Signal()
