import zoneinfo
from datetime import datetime

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from meetup.broadcasts.models import Broadcast
from meetup.broadcasts.render import PLACEHOLDERS
from meetup.events.forms import LocalDateTimeInput
from meetup.lib.bounds import BoundedDateTimeField


def _placeholder_help() -> str:
    names = ", ".join(f"{{{name}}} ({what})" for name, what in PLACEHOLDERS.items())
    return gettext("Placeholders: %(names)s.") % {"names": names}


PLACEHOLDER_HELP = lazy(_placeholder_help, str)()


class BroadcastForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(Broadcast.Kind.ANNOUNCEMENT, gettext_lazy("Announcement (texts wait for the end of quiet hours)")),
                 (Broadcast.Kind.LOGISTICS,
                  gettext_lazy("Logistics (the event is within 24 hours; sent at any hour)"))],
        initial=Broadcast.Kind.ANNOUNCEMENT, widget=forms.RadioSelect, label=gettext_lazy("Kind"))
    channels = forms.ChoiceField(choices=Broadcast.Channels.choices, initial=Broadcast.Channels.SMS_OR_EMAIL,
                                 widget=forms.RadioSelect, label=gettext_lazy("Channels"))
    audience = forms.ChoiceField(choices=Broadcast.Audience.choices, initial=Broadcast.Audience.GOING,
                                 label=gettext_lazy("Audience"))
    subject = forms.CharField(max_length=200, required=False, label=gettext_lazy("Subject"),
                              help_text=gettext_lazy("For emails."))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=5000,
                           label=gettext_lazy("Body"), help_text=PLACEHOLDER_HELP)
    scheduled_for = BoundedDateTimeField(required=False, widget=LocalDateTimeInput(),
                                         label=gettext_lazy("Send at (optional)"),
                                         help_text=gettext_lazy("In the event's time zone; leave empty to send now."))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["scheduled_for"].help_text = gettext_lazy(
            "In the event's time zone (%(zone)s); empty sends now.") % {"zone": event.timezone}

    def clean_scheduled_for(self):
        value: datetime | None = self.cleaned_data.get("scheduled_for")
        if value is None:
            return None
        # The browser sends a wall-clock time; it means that time where the event is.
        return value.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(self.event.timezone))
