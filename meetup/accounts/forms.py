from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from meetup.accounts.consent import EMAIL_WORDING, SMS_WORDING


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=80, required=False, label=_("Display name"),
                                   help_text=_("How other attendees see you. Defaults to your username."))
    hub_username = forms.CharField(max_length=96, required=False, label=_("Hugging Face Hub username"),
                                   help_text=_("Shown beside your name where you choose to appear on who's going."))
    pronouns = forms.CharField(max_length=40, required=False, label=_("Pronouns"),
                               help_text=_("Printed on your badge, e.g. she/her."))
    phone = PhoneNumberField(required=False, label=_("Phone"), help_text=_("International format, e.g. +14155550123."),
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    sms_opt_in = forms.BooleanField(required=False, label=SMS_WORDING)
    email_opt_in = forms.BooleanField(required=False, label=EMAIL_WORDING)
    language = forms.ChoiceField(choices=settings.LANGUAGES, initial="en", required=False,
                                 label=_("Language of our messages to you"))


class TokenForm(forms.Form):
    name = forms.CharField(max_length=60, initial=_("API token"), label=_("Name"),
                           help_text=_("Where you will use it, e.g. 'door laptop'."))


class DeleteAccountForm(forms.Form):
    code = forms.CharField(max_length=16, label=_("The code we emailed you"),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
    content = forms.ChoiceField(
        label=_("Your comments and the projects you made alone"), initial="keep", widget=forms.RadioSelect,
        choices=[("keep", _("Keep them, shown as by “Deleted user”")), ("remove", _("Remove them"))])
