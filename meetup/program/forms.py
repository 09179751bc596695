from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from meetup.events.forms import TIMEZONES, LocalDateTimeInput
from meetup.program.models import SCORE_MAX, SCORE_MIN, Call


def _lines(text: str, *, commas: bool = False) -> list[str]:
    text = (text or "").replace(",", "\n") if commas else (text or "")
    return [line.strip() for line in text.splitlines() if line.strip()]


class CallForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=[(name, name) for name in TIMEZONES], initial="UTC", label=_("Time zone"),
                                 help_text=_("Opening and closing times are in this time zone."))
    questions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                label=_("Questions"), help_text=_("One question for applicants per line."))
    criteria = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Rubric"),
                               help_text=format_lazy(
                                   _("One criterion per line, with its weight: “Team | 3”. Judges score each "
                                     "from {min} to {max}."), min=SCORE_MIN, max=SCORE_MAX))
    judges = forms.CharField(required=False, label=_("Judging panel"),
                         help_text=_("Usernames, separated by commas."))
    organisers = forms.CharField(required=False, label=_("Other organisers"),
                                 help_text=_("Usernames, separated by commas."))

    class Meta:
        model = Call
        fields = ["title", "slug", "description", "opens_at", "closes_at", "timezone", "winners", "anonymised"]
        widgets = {"opens_at": LocalDateTimeInput(), "closes_at": LocalDateTimeInput(),
                   "description": forms.Textarea(attrs={"rows": 8})}
        labels = {"title": _("Title"), "slug": _("Address"), "description": _("Description"), "opens_at": _("Opens at"),
                  "closes_at": _("Closes at"), "winners": _("Winners"), "anonymised": _("Anonymised")}
        help_texts = {"slug": _("The address of the call's page; leave empty to make one from the title."),
                      "closes_at": _("Applications close at this minute exactly.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        call = self.instance
        if call.pk:
            self.fields["slug"].disabled = True
            self.fields["organisers"].label = _("Organisers")
            self.initial.update({
                "questions": "\n".join(q.text for q in call.questions.all()),
                "criteria": "\n".join(f"{c.name} | {c.weight}" for c in call.criteria.all()),
                "judges": ", ".join(u.username for u in call.judges.order_by("username")),
                "organisers": ", ".join(u.username for u in call.organisers.order_by("username")),
            })

    def clean_criteria(self):
        rows = []
        for line in _lines(self.cleaned_data["criteria"]):
            name, _unused, weight = line.rpartition("|") if "|" in line else (line, "", "1")
            try:
                rows.append((name.strip(), int(weight.strip())))
            except ValueError:
                raise forms.ValidationError(
                    gettext_now("“%(line)s”: write the weight as a whole number after a |.") % {"line": line}) from None
        return rows

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["questions"] = _lines(data["questions"])
        data["judges"] = _lines(data["judges"], commas=True)
        data["organisers"] = _lines(data["organisers"], commas=True)
        if not data.get("slug"):
            data.pop("slug", None)
        return data


class ApplicationForm(forms.Form):
    startup_name = forms.CharField(max_length=120, label=_("Startup name"))
    pitch = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}),
                            label=_("Pitch"), help_text=_("Markdown. What you build, for whom, and why now."))
    team = forms.CharField(required=False, label=_("Team members"),
                           help_text=_("Usernames, separated by commas: each person is invited and joins once they "
                                       "accept. You are on the team already."))
    projects = forms.CharField(required=False, label=_("Showcase projects"),
                               help_text=_("Addresses (slugs) of projects in the gallery, separated by commas."))
    hub_links = forms.CharField(required=False, label=_("Hub models"), widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("One per line: an id like org/name or a huggingface.co link."))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(call.questions.all())
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    @classmethod
    def initial_for(cls, application) -> dict:
        initial = {
            "startup_name": application.startup_name, "pitch": application.pitch,
            "team": ", ".join([m.user.username for m in application.members.select_related("user")
                               if m.user_id != application.created_by_id]
                              + list(application.invitations.filter(status="pending")
                                     .values_list("user__username", flat=True))),
            "projects": ", ".join(application.projects.values_list("slug", flat=True)),
            "hub_links": "\n".join(application.hub_links),
        }
        initial.update({f"answer_{key}": text for key, text in application.answers.items()})
        return initial

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "startup_name": data["startup_name"], "pitch": data["pitch"],
            "team": _lines(data["team"], commas=True), "projects": _lines(data["projects"], commas=True),
            "hub_links": _lines(data["hub_links"]),
            "answers": {str(q.pk): data.get(f"answer_{q.pk}", "") for q in self.questions},
        }


class ReviewForm(forms.Form):
    comment = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                              label=_("Comment"), help_text=_("Markdown. Other judges read it once they have scored."))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [("", "–")] + [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=gettext_now("%(name)s (weight %(weight)s)") % {
                    "name": criterion.name, "weight": criterion.weight},
                choices=choices, coerce=int)
        self.order_fields([f"score_{c.pk}" for c in self.criteria] + ["comment"])

    @classmethod
    def initial_for(cls, review) -> dict:
        if review is None:
            return {}
        return {"comment": review.comment, **{f"score_{s.criterion_id}": s.value for s in review.scores.all()}}

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300, label=_("Why (optional)"),
                             help_text=_("Only the organisers see it."))
