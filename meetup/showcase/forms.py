from django import forms
from django.utils.translation import gettext_lazy as _

from meetup.events.models import Event
from meetup.showcase.models import Collection, Report


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


class ProjectForm(forms.Form):
    title = forms.CharField(max_length=120, label=_("Title"))
    summary = forms.CharField(max_length=280, label=_("Summary"), help_text=_("One or two sentences for the gallery."))
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), label=_("Description"),
                                  help_text=_("Markdown. What it does, how you built it, what you learned."))
    hub_links = forms.CharField(
        required=False, label=_("Hub repositories"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: an id like mistralai/Mistral-7B-v0.1 or a huggingface.co link "
                    "(datasets/… and spaces/… too)."))
    team = forms.CharField(required=False, label=_("Team members"),
                           help_text=_("Usernames, separated by commas: each person is invited and joins once they "
                                       "accept. You are on the team already."))
    repository_url = forms.URLField(required=False, assume_scheme="https", label=_("Code repository"))
    demo_url = forms.URLField(required=False, assume_scheme="https", label=_("Demo"))
    event = forms.ModelChoiceField(queryset=Event.objects.none(), required=False, empty_label=_("(none)"),
                                   to_field_name="slug", label=_("Event"), help_text=_("The event it was shown at."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(status=Event.Status.PUBLISHED).order_by("-starts_at")

    @classmethod
    def initial_for(cls, project) -> dict:
        return {
            "title": project.title, "summary": project.summary, "description": project.description,
            "repository_url": project.repository_url, "demo_url": project.demo_url, "event": project.event,
            "hub_links": "\n".join(link.requested_path for link in project.links.all()),
            "team": ", ".join([m.username for m in project.team.all() if m.pk != project.created_by_id]
                              + list(project.invitations.filter(status="pending")
                                     .values_list("user__username", flat=True))),
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["hub_links"] = _lines(data["hub_links"])
        data["team"] = _lines(data["team"])
        return data


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Markdown. Be kind: the code of conduct applies here too."))


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices, label=_("Reason"))
    details = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              label=_("Details"), help_text=_("Optional: what moderators should look at."))


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["name", "description", "is_public"]
        labels = {"name": _("Name"), "description": _("Description"), "is_public": _("Public (anyone can see it)")}
