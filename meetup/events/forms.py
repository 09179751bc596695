import zoneinfo

from django import forms

from meetup.events.models import Event, Venue
from meetup.lib.bounds import INT_MAX, BoundedDateTimeField

TIMEZONES = sorted(zoneinfo.available_timezones())


class LocalDateTimeInput(forms.DateTimeInput):
    """A datetime-local input; the view interprets it in the event's time zone."""

    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=[(name, name) for name in TIMEZONES], initial="Europe/Paris",
                                 help_text="Start and end times are in this time zone.")
    code_of_conduct_url = forms.URLField(required=False, assume_scheme="https", label="Code of conduct URL",
                                         help_text="Attendees accept it when they RSVP.")

    class Meta:
        model = Event
        fields = ["title", "slug", "description", "starts_at", "ends_at", "timezone", "venue", "capacity", "status",
                  "rsvp_opens_at", "rsvp_closes_at", "code_of_conduct_url"]
        widgets = {name: LocalDateTimeInput() for name in ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at")}
        widgets["description"] = forms.Textarea(attrs={"rows": 8})
        help_texts = {
            "slug": "The address of the event page; leave empty to make one from the title.",
            "rsvp_closes_at": "Leave empty to take RSVPs until the event ends.",
            "capacity": "Raising it promotes the waitlist in order; lowering it never removes anyone going.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            self.fields["slug"].disabled = True


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(min_value=0, max_value=1_000_000)


class RsvpForm(forms.Form):
    accept_code_of_conduct = forms.BooleanField(
        required=False, label="I have read and accept the code of conduct")


class VenueForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=[(name, name) for name in TIMEZONES], initial="UTC")

    class Meta:
        model = Venue
        fields = ["name", "slug", "address", "timezone", "capacity_standing", "capacity_seated", "accessibility",
                  "facilities", "contact", "cost_note"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "accessibility": forms.Textarea(attrs={"rows": 3}),
                   "facilities": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False


class AvailabilityForm(forms.Form):
    starts_at = BoundedDateTimeField(widget=LocalDateTimeInput(), label="From (UTC)")
    ends_at = BoundedDateTimeField(widget=LocalDateTimeInput(), label="Until (UTC)")
    min_capacity = forms.IntegerField(min_value=0, max_value=INT_MAX, required=False, label="At least (standing)")

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The range must end after it starts.")
        return data
