import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from meetup.events.models import Event, Question, Venue
from meetup.lib.bounds import INT_MAX, BoundedDateTimeField

TIMEZONES = sorted(zoneinfo.available_timezones())


class LocalDateTimeInput(forms.DateTimeInput):
    """A datetime-local input; the view interprets it in the event's time zone."""

    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=[(name, name) for name in TIMEZONES], initial="Europe/Paris",
                                 label=_("Time zone"), help_text=_("Start and end times are in this time zone."))
    code_of_conduct_url = forms.URLField(required=False, assume_scheme="https", label=_("Code of conduct URL"),
                                         help_text=_("Attendees accept it when they RSVP."))

    class Meta:
        model = Event
        fields = ["title", "slug", "description", "starts_at", "ends_at", "timezone", "venue", "capacity", "status",
                  "rsvp_opens_at", "rsvp_closes_at", "code_of_conduct_url", "requires_approval", "show_attendees",
                  "step_free_access", "hearing_loop", "captions", "quiet_room", "accessibility_notes",
                  "waitlist_mode", "offer_hours", "reconfirm_days_before", "reminder_hours"]
        widgets = {name: LocalDateTimeInput() for name in ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at")}
        widgets["description"] = forms.Textarea(attrs={"rows": 8})
        widgets["accessibility_notes"] = forms.Textarea(attrs={"rows": 3})
        help_texts = {
            "slug": _("The address of the event page; leave empty to make one from the title."),
            "rsvp_closes_at": _("Leave empty to take RSVPs until the event ends."),
            "capacity": _("Raising it promotes the waitlist in order; lowering it never removes anyone going."),
            "requires_approval": _("RSVPs wait for your approval and hold no seat until then (invited people "
                                   "skip it)."),
            "show_attendees": _("List, on the event page, the attendees who chose to appear."),
            "offer_hours": _("How long an offered seat is held (shorter automatically in the last 48 hours)."),
            "reconfirm_days_before": _("Ask everyone going “still coming?” this many days before; empty: only when "
                                     "you press the button on the dashboard."),
            "reminder_hours": _("Reminders this many hours before the start, e.g. 24,2; empty for none."),
        }
        labels = {
            "title": _("Title"), "slug": _("Address"), "description": _("Description"), "starts_at": _("Starts at"),
            "ends_at": _("Ends at"), "venue": _("Venue"), "capacity": _("Capacity"), "status": _("Status"),
            "rsvp_opens_at": _("RSVPs open at"), "rsvp_closes_at": _("RSVPs close at"),
            "requires_approval": _("Requires approval"), "show_attendees": _("Show who's going"),
            "accessibility_notes": _("Accessibility notes"), "waitlist_mode": _("Waitlist"),
            "offer_hours": _("Offer hours"), "reconfirm_days_before": _("Ask “still coming?” days before"),
            "reminder_hours": _("Reminder hours"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            self.fields["slug"].disabled = True
        # Left out of a submitted form, the waitlist settings keep their current (or default) values.
        for name in ("waitlist_mode", "offer_hours"):
            self.fields[name].required = False
        # The title and description in the site's other languages: shown to people reading in that
        # language, the original to everyone else.
        saved = self.instance.translations if isinstance(self.instance.translations, dict) else {}
        for code in self.translation_languages():
            name = get_language_info(code)["name_local"]
            self.fields[f"title_{code}"] = forms.CharField(
                required=False, max_length=200, label=gettext("Title (%(language)s)") % {"language": name},
                initial=saved.get(code, {}).get("title", ""))
            self.fields[f"description_{code}"] = forms.CharField(
                required=False, label=gettext("Description (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=saved.get(code, {}).get("description", ""))

    @staticmethod
    def translation_languages() -> list[str]:
        return [code for code, _unused in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

    def clean(self):
        data = super().clean()
        translations = {}
        for code in self.translation_languages():
            texts = {field: data.pop(f"{field}_{code}", "").strip() for field in ("title", "description")}
            texts = {field: text for field, text in texts.items() if text}
            if texts:
                translations[code] = texts
        data["translations"] = translations
        return data

    def clean_waitlist_mode(self):
        return self.cleaned_data.get("waitlist_mode") or self.instance.waitlist_mode

    def clean_offer_hours(self):
        value = self.cleaned_data.get("offer_hours")
        return self.instance.offer_hours if value is None else value


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(min_value=0, max_value=1_000_000, label=_("Capacity"))


class RsvpForm(forms.Form):
    accept_code_of_conduct = forms.BooleanField(
        required=False, label=_("I have read and accept the code of conduct"))


class VenueForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=[(name, name) for name in TIMEZONES], initial="UTC", label=_("Time zone"))

    class Meta:
        model = Venue
        fields = ["name", "slug", "address", "timezone", "capacity_standing", "capacity_seated", "accessibility",
                  "facilities", "contact", "cost_note"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "accessibility": forms.Textarea(attrs={"rows": 3}),
                   "facilities": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": _("Name"), "slug": _("Address on the site"), "address": _("Address"),
                  "capacity_standing": _("Standing capacity"), "capacity_seated": _("Seated capacity"),
                  "accessibility": _("Accessibility"), "facilities": _("Facilities"), "contact": _("Contact"),
                  "cost_note": _("Cost")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False


class AvailabilityForm(forms.Form):
    starts_at = BoundedDateTimeField(widget=LocalDateTimeInput(), label=_("From (UTC)"))
    ends_at = BoundedDateTimeField(widget=LocalDateTimeInput(), label=_("Until (UTC)"))
    min_capacity = forms.IntegerField(min_value=0, max_value=INT_MAX, required=False, label=_("At least (standing)"))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", gettext("The range must end after it starts."))
        return data


class AnswersForm(forms.Form):
    """The event's registration questions as form fields (`q_<id>`). The fields only render; the
    answers are checked by `answers.answers_clean`, as in the API, and its errors are put back
    on the fields."""

    def __init__(self, questions, *args, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers = answers or {}
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = self._field(question)
            if question.pk in answers:
                value = answers[question.pk]
                if question.kind == Question.Kind.YES_NO:
                    value = "yes" if value else "no"
                self.initial[f"q_{question.pk}"] = value

    @staticmethod
    def _field(question):
        common = {"label": question.label, "help_text": question.help_text, "required": False}
        attrs = {"required": True} if question.required else {}
        kind = question.kind
        if kind == Question.Kind.LONG_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "maxlength": 5000, **attrs}), **common)
        if kind == Question.Kind.CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in question.choices]],
                                     widget=forms.Select(attrs=attrs), **common)
        if kind == Question.Kind.MULTI_CHOICE:
            return forms.MultipleChoiceField(choices=[(c, c) for c in question.choices],
                                             widget=forms.CheckboxSelectMultiple, **common)
        if kind == Question.Kind.YES_NO:
            return forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))],
                                     widget=forms.RadioSelect(attrs=attrs), **common)
        if kind == Question.Kind.NUMBER:
            return forms.CharField(widget=forms.NumberInput(attrs={"step": "any", **attrs}), **common)
        if kind == Question.Kind.URL:
            return forms.CharField(widget=forms.URLInput(attrs={"maxlength": 500, **attrs}), **common)
        return forms.CharField(widget=forms.TextInput(attrs={"maxlength": 300, **attrs}), **common)

    def raw(self) -> dict[str, object]:
        """{question id: value} as submitted, for answers_clean."""
        raw = {}
        for question in self.questions:
            name = f"q_{question.pk}"
            if question.kind == Question.Kind.MULTI_CHOICE:
                raw[str(question.pk)] = self.data.getlist(name)
            else:
                raw[str(question.pk)] = self.data.get(name, "")
        return raw

    def add_answer_errors(self, exc) -> None:
        for key, messages in exc.message_dict.items():
            name = "q_" + key.removeprefix("answers.")
            self.add_error(name if name in self.fields else None, messages)


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(required=False, label=_("Choices"), widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=_("For choice questions: one choice per line."))

    class Meta:
        model = Question
        fields = ["label", "kind", "required", "show_at_checkin", "help_text", "position", "hidden"]
        labels = {"label": _("Question"), "kind": _("Kind"), "required": _("Required"),
                  "show_at_checkin": _("Show at check-in"), "help_text": _("Help text"), "position": _("Position"),
                  "hidden": _("Hidden (no longer asked)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        if self.instance.pk:
            self.initial["choices_text"] = "\n".join(self.instance.choices)

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "choices_text"}
        if data.get("position") is None:
            data.pop("position", None)
        data["choices"] = [line for line in self.cleaned_data["choices_text"].splitlines() if line.strip()]
        return data


class DecisionForm(forms.Form):
    rsvp = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    message = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class InvitesForm(forms.Form):
    emails = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Email addresses"),
                             help_text=_("One per line or separated by commas; these people skip approval."))
