"""What the events app tells the apps above it. Events never imports them: the broadcasts app
connects to these in its AppConfig.ready and turns them into messages through its outbox.

Each signal is sent inside the transaction of the change it announces, so the message exists
exactly when the change does.
"""

from django.dispatch import Signal

# An event moved to another venue: kwargs event, old_venue_name, actor.
venue_moved = Signal()
# The forecast turnout passed a threshold of the venue's size for the first time: kwargs event, threshold.
forecast_alerted = Signal()
# Someone was invited to an event's team by email: kwargs invitation.
invitation_created = Signal()
# An organiser decided on a requested RSVP: kwargs rsvp, decision ("declined").
rsvp_decided = Signal()
# Freed seats were offered to the head of the waitlist: kwargs event, offer_ids.
offers_made = Signal()
# Offers ran out unclaimed and their seats were passed on: kwargs event, offer_ids.
offers_expired = Signal()
# Everyone going was asked "still coming?": kwargs event, reconfirmation_ids.
reconfirmations_asked = Signal()
