"""What each message says: placeholders filled for one recipient, the text of an SMS, the email
with its unsubscribe headers."""

import re
from email.utils import make_msgid

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.formats import date_format

from meetup.broadcasts.models import Broadcast
from meetup.events import tickets
from meetup.lib import emails

PLACEHOLDERS = {
    "first_name": "the recipient's first name",
    "event": "the event's title",
    "venue": "the venue's name and address",
    "starts_at": "the start time in the event's time zone",
    "ticket_link": "a link to the recipient's ticket",
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SMS_FOOTER = "\nReply STOP to opt out."
UNSUBSCRIBE_SALT = "meetup.email-unsubscribe"


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def first_name(user) -> str:
    words = user.public_name.split()
    return words[0] if words else "there"


def event_values(event) -> dict[str, str]:
    """The placeholders that are the same for everyone: computed once per batch."""
    venue = f"{event.venue.name}, {event.venue.address}" if event.venue else "venue to be announced"
    starts = event.starts_at.astimezone(event.tz)
    return {
        "event": event.title,
        "venue": venue,
        "starts_at": f"{date_format(starts, 'D j M, H:i')} {starts.tzname()}",
        "ticket_link": settings.PUBLIC_BASE_URL + reverse("my_tickets"),
    }


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def sms_text(broadcast: Broadcast, user, shared: dict[str, str]) -> str:
    return fill(broadcast.body, {**shared, "first_name": first_name(user)}) + SMS_FOOTER


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
    link = unsubscribe_url(user)
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    event = broadcast.event
    attachments = []
    if broadcast.kind == Broadcast.Kind.VENUE_CHANGE:
        attachments.append((f"{event.slug}.ics", tickets.event_ics(event), "text/calendar"))
    return emails.build(
        "broadcast", to=user.email, headers=headers, attachments=attachments,
        context={"subject": fill(broadcast.subject, values), "body": fill(broadcast.body, values), "event": event,
                 "event_url": tickets.event_url(event), "unsubscribe_url": link, "user": user},
    )


def stamp_message_id(message: EmailMultiAlternatives) -> str:
    """Give the message its own Message-ID, which identifies it when the provider reports back."""
    message_id = make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
    message.extra_headers["Message-ID"] = message_id
    return message_id
