"""Texts people send us: opt-out and opt-in keywords, and help (the carrier-standard words)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from meetup.accounts.models import ConsentRecord, User
from meetup.accounts.services import consent_set, phone_parse

OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "ARRET"}
OPT_IN = {"START", "YES", "UNSTOP"}
HELP = {"HELP", "INFO", "AIDE"}

SITE = "Open AI Meetups"


def opted_out_reply() -> str:
    return _("You're unsubscribed from %(site)s texts and will get no more. Reply START to resubscribe.") % {
        "site": SITE}


def opted_in_reply() -> str:
    return _("You're subscribed to %(site)s texts again. Msg & data rates may apply. Reply STOP to opt out.") % {
        "site": SITE}


def help_reply() -> str:
    return _("%(site)s: event updates by text. Help: %(email)s or %(profile)s. Msg & data rates may apply. "
             "Reply STOP to opt out.") % {"site": SITE, "email": settings.SUPPORT_EMAIL,
                                          "profile": f"{settings.PUBLIC_BASE_URL}/profile/"}


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
    """Apply a keyword from `sender` (E.164) to their consent; returns the reply to send, if any, in
    the sender's language where the number is someone's."""
    word = keyword(body)
    if word not in OPT_OUT | OPT_IN | HELP:
        return None
    try:
        number = phone_parse(sender)
    except ValidationError:  # a short code or an alphanumeric sender: nobody of ours
        number = None
    user = User.objects.filter(phone=number).first() if number else None
    languages = {code for code, _name in settings.LANGUAGES}
    language = user.language if user is not None and user.language in languages else settings.LANGUAGE_CODE
    with translation.override(language):
        if word in HELP:
            return help_reply()
        if user is not None:
            consent_set(user=user, channel="sms", granted=word in OPT_IN, source=ConsentRecord.Source.SMS_KEYWORD,
                        wording=body.strip()[:500])
        return opted_in_reply() if word in OPT_IN else opted_out_reply()
