"""Where messages leave the platform. `sms_backend()` picks the configured SMS provider;
email goes through Django's email backends (SMTP, or an ESP through django-anymail)."""

from functools import lru_cache

from django.conf import settings

from meetup.broadcasts.backends.base import PermanentError, Sent, SmsBackend, TransientError

__all__ = ["PermanentError", "Sent", "SmsBackend", "TransientError", "sms_backend"]


@lru_cache(maxsize=1)
def _cached(name: str) -> SmsBackend:
    if name == "twilio":
        from meetup.broadcasts.backends.twilio import TwilioBackend

        return TwilioBackend()
    from meetup.broadcasts.backends.console import ConsoleBackend

    return ConsoleBackend()


def sms_backend() -> SmsBackend:
    return _cached(settings.SMS_BACKEND)
