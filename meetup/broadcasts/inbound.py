"""Texts people send us: opt-out and opt-in keywords, and help (the carrier-standard words)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

from meetup.accounts.models import ConsentRecord, User
from meetup.accounts.services import consent_set, phone_parse

OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
OPT_IN = {"START", "YES", "UNSTOP"}
HELP = {"HELP", "INFO"}

SITE = "Open AI Meetups"
OPTED_OUT_REPLY = f"You're unsubscribed from {SITE} texts and will get no more. Reply START to resubscribe."
OPTED_IN_REPLY = f"You're subscribed to {SITE} texts again. Msg & data rates may apply. Reply STOP to opt out."


def help_reply() -> str:
    return (f"{SITE}: event updates by text. Help: {settings.SUPPORT_EMAIL} or {settings.PUBLIC_BASE_URL}/profile/. "
            "Msg & data rates may apply. Reply STOP to opt out.")


def keyword(body: str) -> str:
    """The keyword a text carries: the whole text, or its first word ("Stop please" is a STOP)."""
    words = re.findall(r"[A-Za-z]+", body.upper())
    if not words:
        return ""
    whole = "".join(words)
    if whole in OPT_OUT | OPT_IN | HELP:
        return whole
    return words[0]


def sms_keyword_handle(*, sender: str, body: str) -> str | None:
    """Apply a keyword from `sender` (E.164) to their consent; returns the reply to send, if any."""
    word = keyword(body)
    if word not in OPT_OUT | OPT_IN | HELP:
        return None
    if word in HELP:
        return help_reply()
    try:
        number = phone_parse(sender)
    except ValidationError:  # a short code or an alphanumeric sender: nobody of ours
        number = None
    user = User.objects.filter(phone=number).first() if number else None
    if user is not None:
        consent_set(user=user, channel="sms", granted=word in OPT_IN, source=ConsentRecord.Source.SMS_KEYWORD,
                    wording=body.strip()[:500])
    return OPTED_IN_REPLY if word in OPT_IN else OPTED_OUT_REPLY
