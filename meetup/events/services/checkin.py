"""The door: checking tickets in.

Invariant kept here: a check-in code works once per attendee; a repeated scan says "already
checked in" (with when), never errors, and two devices scanning one ticket at once admit it once.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from meetup.accounts.models import User
from meetup.audit.models import AuditEntry
from meetup.audit.services import actor_name, audit_record
from meetup.events.models import RSVP, Event


@dataclass
class CheckinResult:
    outcome: str  # checked_in | already_checked_in | not_found | not_going
    rsvp: RSVP | None = None


_CHECKIN_SQL = """
WITH hit AS (
    UPDATE events_rsvp SET checked_in_at = clock_timestamp()
    WHERE event_id = %(event)s AND ticket_code = %(code)s AND status = 'going' AND checked_in_at IS NULL
    RETURNING id, checked_in_at, user_id
), logged AS (
    INSERT INTO audit_auditentry (created_at, actor_id, actor_name, action, event_id, summary, detail)
    SELECT hit.checked_in_at, %(actor)s, %(actor_name)s, 'checkin', %(event)s,
           'Checked in ' || COALESCE(NULLIF(u.display_name, ''), NULLIF(u.first_name, ''), u.username),
           jsonb_build_object('rsvp', hit.id)
    FROM hit JOIN accounts_user u ON u.id = hit.user_id
)
SELECT (hit.id IS NOT NULL), r.id, r.status, COALESCE(hit.checked_in_at, r.checked_in_at),
       u.id, u.username, u.display_name, u.first_name
FROM events_rsvp r JOIN accounts_user u ON u.id = r.user_id LEFT JOIN hit ON hit.id = r.id
WHERE r.event_id = %(event)s AND r.ticket_code = %(code)s
"""


def checkin(*, event: Event, code: str, actor=None) -> CheckinResult:
    """Check a ticket in. A code works once; scanning it again says when it was used.

    On PostgreSQL the door's hot path is one statement: the conditional update, the audit entry
    and the look-up of who it was, so two devices scanning one ticket at once admit it once.
    """
    code = (code or "").strip()
    if not code:
        return CheckinResult("not_found")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CHECKIN_SQL, {"event": event.pk, "code": code, "actor": getattr(actor, "pk", None),
                                          "actor_name": actor_name(actor)})
            row = cursor.fetchone()
        if row is None:
            return CheckinResult("not_found")
        admitted, rsvp_id, status, checked_in_at, user_id, username, display_name, first_name = row
        user = User(pk=user_id, username=username, display_name=display_name, first_name=first_name)
        rsvp = RSVP(pk=rsvp_id, event=event, user=user, status=status, checked_in_at=checked_in_at,
                    ticket_code=code)
        if admitted:
            return CheckinResult("checked_in", rsvp)
    else:
        with transaction.atomic():
            if RSVP.objects.filter(event=event, ticket_code=code, status=RSVP.Status.GOING,
                                   checked_in_at__isnull=True).update(checked_in_at=timezone.now()):
                rsvp = _ticket(event, code)
                audit_record(actor=actor, action=AuditEntry.Action.CHECKIN, event=event, rsvp=rsvp.pk,
                             summary=f"Checked in {rsvp.user.public_name}")
                return CheckinResult("checked_in", rsvp)
        rsvp = _ticket(event, code)
        if rsvp is None:
            return CheckinResult("not_found")
    if rsvp.status != RSVP.Status.GOING:
        return CheckinResult("not_going", rsvp)
    return CheckinResult("already_checked_in", rsvp)


def _ticket(event: Event, code: str) -> RSVP | None:
    return RSVP.objects.select_related("user").filter(event=event, ticket_code=code).first()


