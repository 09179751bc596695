"""The door: checking tickets in (and out) online.

Invariants kept here: a ticket admits once while its holder is inside; a repeated scan says
"already checked in" (with when), never errors, and two devices scanning one ticket at once admit
it once (invariant 5). The headcount is the number of RSVPs with `inside` set; only conditional
UPDATEs flip it, so concurrent scans never count a person twice (invariant 10). Codes are either
the signed `M1.` codes (meetup/events/signing.py) or the older random ticket codes.
"""

import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from meetup.accounts.models import User
from meetup.audit.models import AuditEntry
from meetup.audit.services import actor_name, audit_record
from meetup.events import signing
from meetup.events.models import RSVP, Entrance, Event, Scan


@dataclass
class CheckinResult:
    outcome: str  # checked_in | already_checked_in | checked_out | not_inside | not_found | not_going
    rsvp: RSVP | None = None


# One statement: the conditional update, the audit entry, the scan log row and who it was. The
# match is on the ticket code or, for a signed code already verified, on the RSVP id.
_CHECKIN_SQL = """
WITH hit AS (
    UPDATE events_rsvp SET checked_in_at = COALESCE(checked_in_at, clock_timestamp()), inside = true
    WHERE event_id = %(event)s AND {match} AND status = 'going' AND NOT inside
    RETURNING id, checked_in_at, user_id, clock_timestamp() AS at
), logged AS (
    INSERT INTO audit_auditentry (created_at, actor_id, actor_name, action, event_id, summary, detail)
    SELECT hit.at, %(actor)s, %(actor_name)s, 'checkin', %(event)s,
           'Checked in ' || COALESCE(NULLIF(u.display_name, ''), NULLIF(u.first_name, ''), u.username),
           jsonb_build_object('rsvp', hit.id)
    FROM hit JOIN accounts_user u ON u.id = hit.user_id
), scanned AS (
    INSERT INTO events_scan (event_id, rsvp_id, entrance_id, direction, scanned_at, received_at, scan_id, device,
                             outcome, offline)
    SELECT %(event)s, hit.id, %(entrance)s, 'entry', hit.at, hit.at, %(scan_id)s, '', 'admitted', false FROM hit
)
SELECT (hit.id IS NOT NULL), r.id, r.status, COALESCE(hit.checked_in_at, r.checked_in_at),
       u.id, u.username, u.display_name, u.first_name
FROM events_rsvp r JOIN accounts_user u ON u.id = r.user_id LEFT JOIN hit ON hit.id = r.id
WHERE r.event_id = %(event)s AND {match_r}
"""
_BY_CODE = _CHECKIN_SQL.format(match="ticket_code = %(code)s", match_r="r.ticket_code = %(code)s")
_BY_ID = _CHECKIN_SQL.format(match="id = %(rsvp)s", match_r="r.id = %(rsvp)s")


def _match(event: Event, code: str) -> Q | None:
    """Which RSVP a code names: a valid signature for this event, or a plain ticket code."""
    if signing.looks_signed(code):
        verdict = signing.verify(event, code)
        return None if verdict.rsvp_id is None else Q(pk=verdict.rsvp_id)
    return Q(ticket_code=code)


def checkin(*, event: Event, code: str, actor=None, entrance: Entrance | None = None,
            direction: str = Scan.Direction.ENTRY) -> CheckinResult:
    """Scan a ticket at the door. An entry admits when the holder is not inside; scanning it again
    says when they were checked in. An exit lets them out so they can come back in.

    On PostgreSQL an entry is one statement: the conditional update, the audit entry, the scan
    log row and the look-up of who it was, so two devices scanning one ticket at once admit it once.
    """
    code = (code or "").strip()
    match = _match(event, code) if code else None
    if match is None:
        return CheckinResult("not_found")
    if direction == Scan.Direction.EXIT:
        return _checkout(event, match, entrance)
    if connection.vendor == "postgresql":
        params = {"event": event.pk, "code": code, "rsvp": match.children[0][1], "actor": getattr(actor, "pk", None),
                  "actor_name": actor_name(actor), "entrance": getattr(entrance, "pk", None),
                  "scan_id": f"online-{uuid.uuid4().hex}"}
        with connection.cursor() as cursor:
            cursor.execute(_BY_ID if signing.looks_signed(code) else _BY_CODE, params)
            row = cursor.fetchone()
        if row is None:
            return CheckinResult("not_found")
        admitted, rsvp_id, status, checked_in_at, user_id, username, display_name, first_name = row
        user = User(pk=user_id, username=username, display_name=display_name, first_name=first_name)
        rsvp = RSVP(pk=rsvp_id, event=event, user=user, status=status, checked_in_at=checked_in_at)
        if admitted:
            return CheckinResult("checked_in", rsvp)
    else:
        with transaction.atomic():
            now = timezone.now()
            admits = RSVP.objects.filter(match, event=event, status=RSVP.Status.GOING, inside=False)
            if admits.filter(checked_in_at__isnull=True).update(checked_in_at=now, inside=True) or admits.update(
                    inside=True):
                rsvp = _ticket(event, match)
                Scan.objects.create(event=event, rsvp=rsvp, entrance=entrance, scanned_at=now,
                                    scan_id=f"online-{uuid.uuid4().hex}", outcome=Scan.Outcome.ADMITTED)
                audit_record(actor=actor, action=AuditEntry.Action.CHECKIN, event=event, rsvp=rsvp.pk,
                             summary=f"Checked in {rsvp.user.public_name}")
                return CheckinResult("checked_in", rsvp)
        rsvp = _ticket(event, match)
        if rsvp is None:
            return CheckinResult("not_found")
    if rsvp.status != RSVP.Status.GOING:
        return CheckinResult("not_going", rsvp)
    return CheckinResult("already_checked_in", rsvp)


def _checkout(event: Event, match: Q, entrance: Entrance | None) -> CheckinResult:
    with transaction.atomic():
        left = RSVP.objects.filter(match, event=event, inside=True).update(inside=False)
        rsvp = _ticket(event, match)
        if rsvp is None:
            return CheckinResult("not_found")
        if not left:
            return CheckinResult("not_inside", rsvp)
        Scan.objects.create(event=event, rsvp=rsvp, entrance=entrance, direction=Scan.Direction.EXIT,
                            scanned_at=timezone.now(), scan_id=f"online-{uuid.uuid4().hex}",
                            outcome=Scan.Outcome.EXITED)
    return CheckinResult("checked_out", rsvp)


def _ticket(event: Event, match: Q) -> RSVP | None:
    return RSVP.objects.select_related("user").filter(match, event=event).first()
