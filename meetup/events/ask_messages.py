"""What waitlist offers, "still coming?" questions and reminders say, by email and by text.

Each builder takes one outbox delivery and builds its message from the data as it is at send time
(in the recipient's language: the outbox activates it),
None when it no longer applies (the offer was claimed or expired, the question answered, the person
cancelled or checked in); the broadcasts app registers them by kind. Keys:
"offer:<offer id>", "reconfirm:<reconfirmation id>", "reminder:<hours>:<rsvp id>".
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetup.events import tickets
from meetup.events.models import RSVP, Offer, Reconfirmation
from meetup.events.services.offers import offer_token
from meetup.events.services.reconfirm import reconfirmation_token
from meetup.lib import emails


def offer_url(offer: Offer) -> str:
    return settings.PUBLIC_BASE_URL + reverse("offer_page", args=[offer_token(offer)])


def reconfirmation_url(reconfirmation: Reconfirmation) -> str:
    return settings.PUBLIC_BASE_URL + reverse("reconfirmation_page", args=[reconfirmation_token(reconfirmation)])


def _local(moment, event) -> str:
    local = moment.astimezone(event.tz)
    return f"{date_format(local, 'D j M, H:i')} {local.tzname()}"


def _key_id(delivery, prefix: str) -> int | None:
    head, _unused, rest = delivery.key.partition(":")
    if head != prefix:
        return None
    try:
        return int(rest.rsplit(":", 1)[-1])
    except ValueError:
        return None


def _open_offer(delivery) -> Offer | None:
    offer = (Offer.objects.select_related("event", "event__venue", "rsvp__user")
             .filter(pk=_key_id(delivery, "offer"), status=Offer.Status.OPEN).first())
    if offer is None or offer.expires_at <= timezone.now() or offer.rsvp.user_id != delivery.user_id:
        return None
    return offer


def offer_email(delivery):
    offer = _open_offer(delivery)
    if offer is None:
        return None
    event = offer.event
    return emails.build("waitlist-offer", to=delivery.user.email, context={
        "event": event, "user": delivery.user, "offer": offer, "claim_url": offer_url(offer),
        "expires": _local(offer.expires_at, event), "event_url": tickets.event_url(event)})


def offer_sms(delivery) -> str | None:
    offer = _open_offer(delivery)
    if offer is None:
        return None
    event = offer.event
    return _("A seat opened up at %(title)s (%(starts)s). It's yours until %(expires)s: reply YES to take it or "
             "NO to pass, or tap %(url)s") % {"title": event.display_title, "starts": _local(event.starts_at, event),
                                              "expires": _local(offer.expires_at, event), "url": offer_url(offer)}


def _pending_reconfirmation(delivery) -> Reconfirmation | None:
    reconfirmation = (Reconfirmation.objects.select_related("event", "event__venue", "rsvp")
                      .filter(pk=_key_id(delivery, "reconfirm"), answer="", rsvp__status=RSVP.Status.GOING).first())
    if reconfirmation is None or reconfirmation.event.starts_at <= timezone.now():
        return None
    return reconfirmation


def reconfirmation_email(delivery):
    reconfirmation = _pending_reconfirmation(delivery)
    if reconfirmation is None:
        return None
    event = reconfirmation.event
    url = reconfirmation_url(reconfirmation)
    return emails.build("reconfirmation", to=delivery.user.email, context={
        "event": event, "user": delivery.user, "yes_url": url + "?coming=yes", "no_url": url + "?coming=no",
        "event_url": tickets.event_url(event)})


def reconfirmation_sms(delivery) -> str | None:
    reconfirmation = _pending_reconfirmation(delivery)
    if reconfirmation is None:
        return None
    event = reconfirmation.event
    return _("Still coming to %(title)s (%(starts)s)? Reply YES or NO, or tap %(url)s. A NO frees your seat for "
             "someone on the waitlist.") % {"title": event.display_title, "starts": _local(event.starts_at, event),
                                            "url": reconfirmation_url(reconfirmation)}


def _remindable(delivery) -> RSVP | None:
    rsvp = (RSVP.objects.select_related("event", "event__venue")
            .filter(pk=_key_id(delivery, "reminder"), user_id=delivery.user_id, status=RSVP.Status.GOING,
                    checked_in_at__isnull=True).first())
    if rsvp is None or rsvp.event.starts_at <= timezone.now():
        return None
    return rsvp


def _venue(event) -> str:
    return f"{event.venue.name}, {event.venue.address}" if event.venue else _("venue to be announced")


def reminder_email(delivery):
    rsvp = _remindable(delivery)
    if rsvp is None:
        return None
    event = rsvp.event
    return emails.build("reminder", to=delivery.user.email, context={
        "event": event, "user": delivery.user, "rsvp": rsvp, "starts": _local(event.starts_at, event),
        "ticket_url": settings.PUBLIC_BASE_URL + reverse("my_tickets"), "event_url": tickets.event_url(event)})


def reminder_sms(delivery) -> str | None:
    rsvp = _remindable(delivery)
    if rsvp is None:
        return None
    event = rsvp.event
    return _("Reminder: %(title)s starts %(starts)s at %(venue)s. Your ticket: %(url)s") % {
        "title": event.display_title, "starts": _local(event.starts_at, event), "venue": _venue(event),
        "url": settings.PUBLIC_BASE_URL + reverse("my_tickets")}
