"""The door offline: entrances, and scans made by devices without network, synced later.

Invariant 10 lives here: a ticket admits once, at one door, even when devices scanned it offline,
and counts stay exact. Every scan is logged once per `scan_id` (a batch sent twice changes
nothing). The outcomes of one ticket's scans are decided by replaying all of them in `scanned_at`
order under the RSVP's row lock: the earliest admission is kept, a second entry while inside from
another device is a `conflict` (shown on the dashboard), and `inside` / `checked_in_at` are set
from the replay, so nobody is counted twice whatever order the devices sync in.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record
from meetup.events import signing
from meetup.events.models import RSVP, Entrance, Event, Scan
from meetup.lib.errors import Refused


@dataclass(frozen=True)
class ScanIn:
    code: str
    scanned_at: datetime
    entrance: int | None
    direction: str
    scan_id: str


def entrance_create(*, event: Event, name: str, actor=None) -> Entrance:
    """A named check-in point; names are unique per event."""
    name = " ".join(name.split())
    if not name:
        raise Refused("invalid", _("An entrance needs a name."), status=400)
    try:
        with transaction.atomic():
            entrance = Entrance.objects.create(event=event, name=name)
            audit_record(actor=actor, action=AuditEntry.Action.ROLE, event=event, summary=f"Entrance {name} added")
    except IntegrityError:
        raise Refused("exists", _("This event already has an entrance called %(name)r.") % {"name": name}) from None
    return entrance


def _replay(scans: list[Scan]) -> tuple[bool, datetime | None]:
    """Decide the outcome of each of one ticket's scans, in time order. Returns (inside, first admission)."""
    inside, admitted_by, first = False, None, None
    for scan in sorted(scans, key=lambda s: (s.scanned_at, s.pk)):
        if scan.direction == Scan.Direction.ENTRY:
            if not inside:
                scan.outcome, inside, admitted_by = Scan.Outcome.ADMITTED, True, scan
                first = first or scan.scanned_at
            elif scan.device and scan.device == admitted_by.device and scan.entrance_id == admitted_by.entrance_id:
                scan.outcome = Scan.Outcome.DUPLICATE
            else:
                scan.outcome = Scan.Outcome.CONFLICT
        elif inside:
            scan.outcome, inside = Scan.Outcome.EXITED, False
        else:
            scan.outcome = Scan.Outcome.NOT_INSIDE
    return inside, first


def _resolve(event: Event, scans: list[ScanIn]) -> dict[str, int | str]:
    """Each code to the RSVP id it names, or to why it names none (checked offline the same way)."""
    named: dict[str, int | str] = {}
    plain = set()
    for scan in scans:
        if scan.code in named:
            continue
        if signing.looks_signed(scan.code):
            verdict = signing.verify(event, scan.code)
            named[scan.code] = verdict.rsvp_id or verdict.reason
        else:
            plain.add(scan.code)
    found = dict(RSVP.objects.filter(event=event, ticket_code__in=plain).values_list("ticket_code", "pk"))
    for code in plain:
        named[code] = found.get(code, "not_found")
    return named


def scans_sync(*, event: Event, scans: list[ScanIn], device: str = "", actor=None) -> list[dict]:
    """Record a device's queued scans; answer, per scan in the order sent, its outcome:
    admitted, duplicate (already inside, same door and device), conflict (admitted at another door
    while offline: the earlier admission is kept), exited, not_inside, revoked (cancelled ticket)
    or invalid (bad signature, another event's ticket, unknown code). Sending a scan again answers
    what it is now, with `replayed`.
    """
    now = timezone.now()
    named = _resolve(event, scans)
    ids = {v for v in named.values() if isinstance(v, int)}
    statuses = dict(RSVP.objects.filter(event=event, pk__in=ids).values_list("pk", "status"))
    entrances = set(Entrance.objects.filter(event=event).values_list("pk", flat=True))
    sent_ids = [s.scan_id for s in scans]
    seen = set(Scan.objects.filter(event=event, scan_id__in=sent_ids).values_list("scan_id", flat=True))

    refusals: dict[str, str] = {}
    fresh: list[Scan] = []
    for scan in scans:
        target = named[scan.code]
        if isinstance(target, str) or target not in statuses:
            refusals[scan.scan_id] = "invalid"
        elif statuses[target] != RSVP.Status.GOING:
            refusals[scan.scan_id] = "revoked"
        elif scan.scan_id not in seen:
            seen.add(scan.scan_id)
            fresh.append(Scan(event=event, rsvp_id=target, direction=scan.direction, scan_id=scan.scan_id,
                              entrance_id=scan.entrance if scan.entrance in entrances else None,
                              scanned_at=min(scan.scanned_at, now), device=device[:64], offline=True,
                              outcome=Scan.Outcome.ADMITTED))

    touched = sorted({s.rsvp_id for s in fresh})
    with transaction.atomic():
        # Row locks in id order: devices syncing at once wait for each other, never deadlock.
        list(RSVP.objects.select_for_update().filter(pk__in=touched).order_by("pk").values_list("pk"))
        Scan.objects.bulk_create(fresh, ignore_conflicts=True)
        log: dict[int, list[Scan]] = defaultdict(list)
        for scan in Scan.objects.filter(rsvp_id__in=touched):
            log[scan.rsvp_id].append(scan)
        changed_scans, changed_rsvps = [], []
        before = {s.pk: s.outcome for scans_of in log.values() for s in scans_of}
        for rsvp in RSVP.objects.filter(pk__in=touched).only("pk", "inside", "checked_in_at"):
            inside, first = _replay(log[rsvp.pk])
            changed_scans += [s for s in log[rsvp.pk] if s.outcome != before[s.pk]]
            first = min(filter(None, [first, rsvp.checked_in_at]), default=None)
            if (inside, first) != (rsvp.inside, rsvp.checked_in_at):
                rsvp.inside, rsvp.checked_in_at = inside, first
                changed_rsvps.append(rsvp)
        Scan.objects.bulk_update(changed_scans, ["outcome"], batch_size=1000)
        RSVP.objects.bulk_update(changed_rsvps, ["inside", "checked_in_at"], batch_size=1000)
        outcomes = {s.scan_id: s.outcome for scans_of in log.values() for s in scans_of}
        new = {s.scan_id for s in fresh}
        counts = defaultdict(int)
        for scan in fresh:
            counts[outcomes.get(scan.scan_id, "")] += 1
        if fresh:
            audit_record(actor=actor, action=AuditEntry.Action.CHECKIN, event=event,
                         summary=f"Synced {len(fresh)} offline scans" + (f" from {device[:40]}" if device else ""),
                         device=device[:64], **{k: v for k, v in counts.items() if k})

    stored = dict(Scan.objects.filter(event=event, scan_id__in=[s.scan_id for s in scans if s.scan_id not in outcomes
                                                                 and s.scan_id not in refusals])
                  .values_list("scan_id", "outcome"))
    results = []
    for scan in scans:
        outcome = refusals.get(scan.scan_id) or outcomes.get(scan.scan_id) or stored.get(scan.scan_id, "invalid")
        results.append({"scan_id": scan.scan_id, "outcome": outcome,
                        "replayed": scan.scan_id not in new and scan.scan_id not in refusals})
    return results
