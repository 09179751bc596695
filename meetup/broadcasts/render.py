"""What each message says: placeholders filled for one recipient, the text of an SMS, the email
with its unsubscribe headers."""

import re
from email.utils import make_msgid

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from meetup.broadcasts.models import Broadcast
from meetup.events import tickets
from meetup.lib import emails

PLACEHOLDERS = {
    "first_name": gettext_lazy("the recipient's first name"),
    "event": gettext_lazy("the event's title"),
    "venue": gettext_lazy("the venue's name and address"),
    "starts_at": gettext_lazy("the start time in the event's time zone"),
    "ticket_link": gettext_lazy("a link to the recipient's ticket"),
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SMS_FOOTER = gettext_lazy("Reply STOP to opt out.")
UNSUBSCRIBE_SALT = "meetup.email-unsubscribe"


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def first_name(user) -> str:
    words = user.public_name.split()
    return words[0] if words else gettext("there")


def event_values(event) -> dict[str, str]:
    """The placeholders that are the same for everyone: computed once per batch."""
    venue = f"{event.venue.name}, {event.venue.address}" if event.venue else gettext("venue to be announced")
    starts = event.starts_at.astimezone(event.tz)
    return {
        "event": event.display_title,
        "venue": venue,
        "starts_at": f"{date_format(starts, 'D j M, H:i')} {starts.tzname()}",
        "ticket_link": settings.PUBLIC_BASE_URL + reverse("my_tickets"),
    }


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def venue_change_texts(*, venue: str, address: str, old_venue: str = "", event_title: str = "") -> tuple[str, str]:
    """The subject and body (with placeholders) of a venue change, in the active language."""
    if old_venue:
        body = gettext("Hi {first_name}, {event} has moved from %(old_venue)s to %(venue)s, %(address)s. "
                       "Same time ({starts_at}); your ticket stays valid: {ticket_link}")
    else:
        body = gettext("Hi {first_name}, {event} has moved to %(venue)s, %(address)s. "
                       "Same time ({starts_at}); your ticket stays valid: {ticket_link}")
    values = {"old_venue": old_venue, "venue": venue, "address": address}
    subject = gettext("New venue for %(event)s: %(venue)s") % {"event": event_title, "venue": venue}
    return subject, body % values


def _texts(broadcast: Broadcast) -> tuple[str, str]:
    """Subject and body in the active language: a venue change is written afresh from its context,
    anything an organiser wrote is sent as written."""
    context = broadcast.context if isinstance(broadcast.context, dict) else {}
    if broadcast.kind == Broadcast.Kind.VENUE_CHANGE and context.get("venue"):
        return venue_change_texts(venue=str(context["venue"]), address=str(context.get("address", "")),
                                  old_venue=str(context.get("old_venue", "")),
                                  event_title=broadcast.event.display_title if broadcast.event else "")
    return broadcast.subject, broadcast.body


def sms_text(broadcast: Broadcast, user, shared: dict[str, str]) -> str:
    """The text in the active language (the outbox makes it the recipient's)."""
    return fill(_texts(broadcast)[1], {**shared, "first_name": first_name(user)}) + "\n" + str(SMS_FOOTER)


# An unsubscribe link works for a year from the email that carried it (older links, signed without
# a time, are refused: the person can still turn emails off on their profile).
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600


def unsubscribe_token(user) -> str:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def unsubscribe_user_id(token: str) -> int | None:
    try:
        return int(signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign(token, max_age=UNSUBSCRIBE_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None


def masked_address(email: str) -> str:
    """"nora.quill@example.org" as "n********@example.org": enough to recognise, not to read."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}" if domain else "your address"


def unsubscribe_url(user) -> str:
    return settings.PUBLIC_BASE_URL + reverse("unsubscribe", args=[unsubscribe_token(user)])


def broadcast_email(broadcast: Broadcast, user, shared: dict[str, str]) -> EmailMultiAlternatives:
    """A blast or venue-change email, with RFC 8058 one-click unsubscribe headers."""
    values = {**shared, "first_name": first_name(user)}
    subject, body = _texts(broadcast)
    link = unsubscribe_url(user)
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    event = broadcast.event
    attachments = []
    if broadcast.kind == Broadcast.Kind.VENUE_CHANGE:
        attachments.append((f"{event.slug}.ics", tickets.event_ics(event), "text/calendar"))
    return emails.build(
        "broadcast", to=user.email, headers=headers, attachments=attachments,
        context={"subject": fill(subject, values), "body": fill(body, values), "event": event,
                 "event_url": tickets.event_url(event), "unsubscribe_url": link, "user": user},
    )


def stamp_message_id(message: EmailMultiAlternatives) -> str:
    """Give the message its own Message-ID, which identifies it when the provider reports back."""
    message_id = make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
    message.extra_headers["Message-ID"] = message_id
    return message_id
