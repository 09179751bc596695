"""Texts people send us: opt-out and opt-in keywords, help (the carrier-standard words), and YES or
NO answering the newest thing we asked that phone (a waitlist offer, "still coming?").

STOP always wins: it opts out whatever is pending. YES answers a pending question when there is
one and opts back in otherwise (as carriers expect). Two questions asked close together make a
YES ambiguous: the reply then asks for the link in the message instead of guessing. Anything
else gets the help text. Replies are in the sender's language where the number is someone's.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from meetup.accounts.models import ConsentRecord, User
from meetup.accounts.services import consent_set, phone_parse
from meetup.events import selectors as event_selectors
from meetup.events import services as event_services
from meetup.lib.errors import Refused

OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "ARRET"}
OPT_IN = {"START", "YES", "UNSTOP"}
HELP = {"HELP", "INFO", "AIDE"}
ANSWER_YES = {"YES", "Y", "YEP", "YEAH", "YA", "OUI"}
ANSWER_NO = {"NO", "N", "NOPE", "NON"}
# Two pending questions asked closer together than this: a bare YES could mean either.
AMBIGUOUS_WITHIN = timedelta(hours=1)

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


def _sender(sender: str) -> User | None:
    try:
        number = phone_parse(sender)
    except ValidationError:  # a short code or an alphanumeric sender: nobody of ours
        return None
    return User.objects.filter(phone=number).first()


def sms_keyword_handle(*, sender: str, body: str) -> str:
    """Apply a text from `sender` (E.164): a consent keyword, or an answer to what we asked last;
    returns the reply to send, in the sender's language where the number is someone's."""
    user = _sender(sender)
    languages = {code for code, _name in settings.LANGUAGES}
    language = user.language if user is not None and user.language in languages else settings.LANGUAGE_CODE
    with translation.override(language):
        return _handle(keyword(body), body, user)


def _handle(word: str, body: str, user: User | None) -> str:
    if word in HELP:
        return help_reply()
    if word in (ANSWER_YES | ANSWER_NO) and user is not None:
        answered = _answer(user, coming=word in ANSWER_YES)
        if answered:
            return answered
    if word in OPT_OUT | OPT_IN:
        if user is not None:
            consent_set(user=user, channel="sms", granted=word in OPT_IN, source=ConsentRecord.Source.SMS_KEYWORD,
                        wording=body.strip()[:500])
        return opted_in_reply() if word in OPT_IN else opted_out_reply()
    return help_reply()


def _answer(user: User, *, coming: bool) -> str | None:
    """Answer the newest pending question to `user`; None when nothing is pending."""
    asks = event_selectors.pending_asks_for(user)
    if not asks:
        return None
    if len(asks) > 1 and asks[0][2] - asks[1][2] < AMBIGUOUS_WITHIN:
        titles = _(" and ").join(sorted({ask[1].event.display_title for ask in asks[:2]}))
        return _("We asked you about more than one thing just now (%(titles)s). Please answer with the link in the "
                 "message you're replying to.") % {"titles": titles}
    kind, thing, _asked = asks[0]
    event = thing.event
    title = event.display_title
    try:
        if kind == "offer" and coming:
            event_services.offer_claim(offer=thing)
            return _("The seat is yours: you're going to %(title)s. Your ticket is on its way by email.") % {
                "title": title}
        if kind == "offer":
            event_services.offer_decline(offer=thing)
            return _("Thanks for letting us know: the seat at %(title)s goes to the next person in line.") % {
                "title": title}
        event_services.reconfirmation_answer(reconfirmation=thing, coming=coming)
    except Refused as exc:
        return f"{title}: {exc.detail}"
    if coming:
        return _("Thanks, see you at %(title)s!") % {"title": title}
    return _("Thanks for letting us know: your seat at %(title)s goes to someone on the waitlist.") % {"title": title}
