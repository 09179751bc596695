from django import forms
from django.conf import settings
from phonenumber_field.formfields import PhoneNumberField

from meetup.accounts.consent import EMAIL_WORDING, SMS_WORDING


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=80, required=False,
                                   help_text="How other attendees see you. Defaults to your username.")
    hub_username = forms.CharField(max_length=96, required=False, label="Hugging Face Hub username",
                                   help_text="Shown beside your name where you choose to appear on who's going.")
    pronouns = forms.CharField(max_length=40, required=False, help_text="Printed on your badge, e.g. she/her.")
    phone = PhoneNumberField(required=False, help_text="International format, e.g. +14155550123.",
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    sms_opt_in = forms.BooleanField(required=False, label=SMS_WORDING)
    email_opt_in = forms.BooleanField(required=False, label=EMAIL_WORDING)
    language = forms.ChoiceField(choices=settings.LANGUAGES, initial="en", required=False,
                                 label="Language of our messages to you")


class TokenForm(forms.Form):
    name = forms.CharField(max_length=60, initial="API token", help_text="Where you will use it, e.g. 'door laptop'.")


class DeleteAccountForm(forms.Form):
    code = forms.CharField(max_length=16, label="The code we emailed you",
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
    content = forms.ChoiceField(
        label="Your comments and the projects you made alone", initial="keep", widget=forms.RadioSelect,
        choices=[("keep", "Keep them, shown as by “Deleted user”"), ("remove", "Remove them")])
