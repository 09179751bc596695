from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Sent:
    provider_id: str


class TransientError(Exception):
    """Worth trying again later (rate limited, provider or network trouble)."""

    def __init__(self, reason: str, *, retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


class PermanentError(Exception):
    """Trying again will not help (bad number, refused address). `opted_out` when the provider
    says the recipient has blocked us."""

    def __init__(self, reason: str, *, opted_out: bool = False):
        super().__init__(reason)
        self.reason, self.opted_out = reason, opted_out


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str, status_callback: str | None, validity_seconds: int | None) -> Sent: ...
