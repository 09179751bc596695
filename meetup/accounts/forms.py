from django import forms
from phonenumber_field.formfields import PhoneNumberField

from meetup.accounts.consent import EMAIL_WORDING, SMS_WORDING


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=80, required=False,
                                   help_text="How other attendees see you. Defaults to your username.")
    pronouns = forms.CharField(max_length=40, required=False, help_text="Printed on your badge, e.g. she/her.")
    phone = PhoneNumberField(required=False, help_text="International format, e.g. +14155550123.",
                             widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    sms_opt_in = forms.BooleanField(required=False, label=SMS_WORDING)
    email_opt_in = forms.BooleanField(required=False, label=EMAIL_WORDING)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=60, initial="API token", help_text="Where you will use it, e.g. 'door laptop'.")
