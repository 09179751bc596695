import zoneinfo
from datetime import datetime

from django import forms

from meetup.broadcasts.models import Broadcast
from meetup.broadcasts.render import PLACEHOLDERS
from meetup.events.forms import LocalDateTimeInput
from meetup.lib.bounds import BoundedDateTimeField

PLACEHOLDER_HELP = "Placeholders: " + ", ".join(f"{{{name}}} ({what})" for name, what in PLACEHOLDERS.items()) + "."


class BroadcastForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(Broadcast.Kind.ANNOUNCEMENT, "Announcement (texts wait for the end of quiet hours)"),
                 (Broadcast.Kind.LOGISTICS, "Logistics (the event is within 24 hours; sent at any hour)")],
        initial=Broadcast.Kind.ANNOUNCEMENT, widget=forms.RadioSelect)
    channels = forms.ChoiceField(choices=Broadcast.Channels.choices, initial=Broadcast.Channels.SMS_OR_EMAIL,
                                 widget=forms.RadioSelect)
    audience = forms.ChoiceField(choices=Broadcast.Audience.choices, initial=Broadcast.Audience.GOING)
    subject = forms.CharField(max_length=200, required=False, help_text="For emails.")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=5000, help_text=PLACEHOLDER_HELP)
    scheduled_for = BoundedDateTimeField(required=False, widget=LocalDateTimeInput(), label="Send at (optional)",
                                        help_text="In the event's time zone; leave empty to send now.")

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["scheduled_for"].help_text = f"In the event's time zone ({event.timezone}); empty sends now."

    def clean_scheduled_for(self):
        value: datetime | None = self.cleaned_data.get("scheduled_for")
        if value is None:
            return None
        # The browser sends a wall-clock time; it means that time where the event is.
        return value.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(self.event.timezone))
