from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meetup.demos.models import Task


class RunForm(forms.Form):
    input = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Your input"), max_length=100_000)


class DemoForm(forms.Form):
    repo_id = forms.ChoiceField(label=_("Model"))
    task = forms.ChoiceField(choices=Task.choices, label=_("Task"))
    revision = forms.CharField(required=False, max_length=40, label=_("Revision"),
                               help_text=_("A commit sha to pin; empty pins the model's current one."))
    enabled = forms.BooleanField(required=False, label=_("Enabled"),
                                 help_text=_("Only enabled demos are ever loaded by the worker."))
    max_input_chars = forms.IntegerField(min_value=1, max_value=settings.DEMO_MAX_INPUT_CHARS, initial=500,
                                         label=_("Max input characters"))
    max_new_tokens = forms.IntegerField(min_value=1, max_value=settings.DEMO_MAX_NEW_TOKENS, initial=64,
                                        label=_("Max new tokens"), help_text=_("Text generation only."))

    def __init__(self, *args, models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repo_id"].choices = [(m, m) for m in models]
