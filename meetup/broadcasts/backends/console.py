import sys
import uuid

from meetup.broadcasts.backends.base import Sent


class ConsoleBackend:
    """Development: texts are printed where the worker logs, like Django's console email backend."""

    def send(self, *, to: str, body: str, status_callback: str | None, validity_seconds: int | None) -> Sent:
        sys.stdout.write(f"--- SMS to {to} ---\n{body}\n--- end ---\n")
        sys.stdout.flush()
        return Sent(provider_id=f"console-{uuid.uuid4().hex}")
