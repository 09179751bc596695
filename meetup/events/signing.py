"""Signed tickets: a QR code a door device can verify without the server.

Format (ASCII, ~100 characters, fits a version-7 QR at level M):

    M1.<event_id>.<rsvp_id>.<signature>

where the signature is Ed25519 over the bytes of `M1.<event_id>.<rsvp_id>`, base64url without
padding (86 characters). Each event has its own key pair (EventKey), made on first use; the public
key is served to door devices in door-data, the private key is stored encrypted with a key derived
from SECRET_KEY and never leaves the server. A signature proves the server issued the ticket; whether
it still admits (not cancelled) is the revocation list's job offline and the RSVP row's online.
"""

import base64
import binascii
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction

from meetup.events.models import Event, EventKey

PREFIX = "M1"
_CODE = re.compile(r"^M1\.([1-9][0-9]{0,11})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{86})$")
# Loaded keys per (event id, event created_at): signing a few thousand tickets or verifying a burst
# of scans does not read and decrypt the key each time. created_at tells a recreated id apart.
_KEYS: dict[tuple, Ed25519PrivateKey | Ed25519PublicKey] = {}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _fernet() -> MultiFernet:
    """Encrypts with SECRET_KEY; decrypts with it or any of SECRET_KEY_FALLBACKS, so rotating the
    secret the Django way keeps every event's tickets valid."""
    def one(secret: str) -> Fernet:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"meetup.events.signing",
                       info=b"event ticket keys").derive(secret.encode())
        return Fernet(base64.urlsafe_b64encode(derived))

    return MultiFernet([one(settings.SECRET_KEY), *map(one, getattr(settings, "SECRET_KEY_FALLBACKS", []))])


def _row(event: Event) -> EventKey:
    """The event's key row, made on first use; two requests making it at once keep one."""
    row = EventKey.objects.filter(event=event).first()
    if row is not None:
        return row
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        with transaction.atomic():
            return EventKey.objects.create(event=event, public_key=public,
                                           private_key_encrypted=_fernet().encrypt(raw).decode())
    except IntegrityError:
        return EventKey.objects.get(event=event)


def _private_key(event: Event) -> Ed25519PrivateKey:
    cache_key = ("private", event.pk, event.created_at)
    if cache_key not in _KEYS:
        raw = _fernet().decrypt(_row(event).private_key_encrypted.encode())
        _KEYS[cache_key] = Ed25519PrivateKey.from_private_bytes(raw)
    return _KEYS[cache_key]


def public_key_bytes(event: Event) -> bytes:
    return bytes(_row(event).public_key)


def _public_key(event: Event) -> Ed25519PublicKey:
    cache_key = ("public", event.pk, event.created_at)
    if cache_key not in _KEYS:
        _KEYS[cache_key] = Ed25519PublicKey.from_public_bytes(public_key_bytes(event))
    return _KEYS[cache_key]


def sign(event_id: int, rsvp_id: int, key: Ed25519PrivateKey) -> str:
    message = f"{PREFIX}.{event_id}.{rsvp_id}"
    return f"{message}.{b64url(key.sign(message.encode()))}"


def ticket_code(rsvp) -> str:
    """The signed code printed in the ticket's QR (emails, My tickets, badges)."""
    return sign(rsvp.event_id, rsvp.pk, _private_key(rsvp.event))


def looks_signed(code: str) -> bool:
    return code.startswith(PREFIX + ".")


@dataclass(frozen=True)
class Verdict:
    rsvp_id: int | None
    reason: str = ""  # "" when valid, else malformed | other_event | bad_signature


def verify(event: Event, code: str) -> Verdict:
    """Check a signed code against `event`'s public key. Says which RSVP it names, never whether
    that RSVP still admits."""
    match = _CODE.match(code)
    if match is None:
        return Verdict(None, "malformed")
    event_id, rsvp_id, signature = int(match[1]), int(match[2]), match[3]
    if event_id != event.pk:
        return Verdict(None, "other_event")
    try:
        _public_key(event).verify(_unb64url(signature), f"{PREFIX}.{event_id}.{rsvp_id}".encode())
    except (InvalidSignature, binascii.Error, ValueError):
        return Verdict(None, "bad_signature")
    return Verdict(rsvp_id)
