"""Texts through the official Twilio SDK.

`TWILIO_API_URL` points the SDK at any Twilio-compatible server (the SDK itself only knows
https://api.twilio.com); local stand-ins in tests and benchmarks use it.
"""

import threading

from django.conf import settings
from requests.adapters import HTTPAdapter
from requests.exceptions import RequestException
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from meetup.broadcasts.backends.base import PermanentError, Sent, TransientError

TWILIO_BASE = "https://api.twilio.com"
# Twilio error codes meaning the recipient has opted out (21610) or cannot receive texts.
OPTED_OUT_CODES = {21610}


class _HttpClient(TwilioHttpClient):
    """Sends to `base_url` instead of Twilio's host and keeps the last answer's headers, which
    carry Retry-After when the API asks us to slow down."""

    def __init__(self, base_url: str | None):
        super().__init__(timeout=15)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.session.mount("http://", HTTPAdapter(pool_maxsize=8))
        self._last = threading.local()

    def request(self, method, url, *args, **kwargs):
        if self.base_url and url.startswith(TWILIO_BASE):
            url = self.base_url + url[len(TWILIO_BASE):]
        response = super().request(method, url, *args, **kwargs)
        self._last.headers = response.headers
        return response

    def last_headers(self) -> dict:
        return getattr(self._last, "headers", None) or {}


def _retry_after(headers) -> float | None:
    value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class TwilioBackend:
    def __init__(self):
        self.http = _HttpClient(settings.TWILIO_API_URL)
        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=self.http)

    def send(self, *, to: str, body: str, status_callback: str | None, validity_seconds: int | None) -> Sent:
        sender = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID else {"from_": settings.TWILIO_FROM_NUMBER}
        )
        extra = {}
        if status_callback:
            extra["status_callback"] = status_callback
        if validity_seconds:
            extra["validity_period"] = max(1, min(36000, validity_seconds))
        try:
            message = self.client.messages.create(to=to, body=body, **sender, **extra)
        except TwilioRestException as exc:
            reason = f"Twilio {exc.status}" + (f" error {exc.code}" if exc.code else "") + f": {exc.msg}"
            if exc.status == 429 or exc.status >= 500:
                raise TransientError(reason, retry_after=_retry_after(self.http.last_headers())) from exc
            raise PermanentError(reason, opted_out=exc.code in OPTED_OUT_CODES) from exc
        except RequestException as exc:
            raise TransientError(f"Could not reach the SMS provider: {exc.__class__.__name__}") from exc
        return Sent(provider_id=message.sid)
