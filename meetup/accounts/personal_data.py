"""The registry through which every app takes part in a person's rights over their data.

Accounts is the lowest app that knows people, so it cannot import the apps that hold their RSVPs,
projects or applications. Instead each app registers, in its AppConfig.ready:

- `export(user) -> list[dict]`: a section of the personal-data archive (one JSON file per section);
- `erase(user, *, keep_content: bool)`: what the app does when the account is deleted (cancel
  RSVPs through the events service so the waitlist moves, unlike through the showcase service so
  counts stay right, remove or anonymise the rest). Called inside the deletion's transaction,
  before the account itself is emptied, so the person's names and addresses are still readable;
- `blocker(user) -> str | None`: a reason the account cannot be deleted yet (the last organiser
  of an upcoming event), or None;
- `shred(cutoff) -> int`: retention, run by beat: remove what is past `RETENTION_DAYS` and say how
  many records were shredded.

Sections run in `order`, lowest first: the audit log's eraser runs after the apps whose erasers
write audit entries (a cancelled RSVP's promotion), so those are anonymised too.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable | None = None
    erase: Callable | None = None
    blocker: Callable | None = None
    shred: Callable | None = None
    order: int = 50


_sections: dict[str, Section] = {}


def register(name: str, *, export=None, erase=None, blocker=None, shred=None, order: int = 50) -> None:
    """Register (or replace, so a reloaded app does not count twice) one section by name."""
    _sections[name] = Section(name=name, export=export, erase=erase, blocker=blocker, shred=shred, order=order)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))
