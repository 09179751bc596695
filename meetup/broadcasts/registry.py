"""Automatic messages other apps send through the outbox (tickets, program decisions): each kind
registers how to build one delivery's email, at send time, from the data as it is then."""

from collections.abc import Callable

_email_builders: dict[str, Callable] = {}
_sms_builders: dict[str, Callable] = {}


def register_email(kind: str, builder: Callable) -> None:
    """`builder(delivery)` returns the EmailMessage to send, or None when it no longer applies
    (the delivery is then cancelled, not sent)."""
    _email_builders[kind] = builder


def email_builder(kind: str) -> Callable | None:
    return _email_builders.get(kind)


def register_sms(kind: str, builder: Callable) -> None:
    """`builder(delivery)` returns the text of an automatic SMS (the STOP footer is added), or None
    when it no longer applies."""
    _sms_builders[kind] = builder


def sms_builder(kind: str) -> Callable | None:
    return _sms_builders.get(kind)
