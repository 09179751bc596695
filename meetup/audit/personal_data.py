"""The audit log's part in a person's rights over their data (registered in apps.py): the entries
where they acted go into their archive; on deletion, entries keep the action and its time, and lose
the actor and every mention of the person's names, address and number (the trigger allows this
one update inside the deletion's transaction); deletions and retention runs are recorded."""

import json
import re

from django.db.models import Q

from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record

DELETED = "a deleted user"


def export_audit(user) -> list[dict]:
    return list(AuditEntry.objects.filter(actor_id=user.pk).order_by("created_at", "id").values(
        "created_at", "action", "event_id", "summary", "detail"))


def identifying_strings(user) -> list[str]:
    """What names the person in text written about them, longest first (so an address goes before
    the username inside it)."""
    full_name = f"{user.first_name} {user.last_name}".strip()
    values = {user.email, user.display_name, full_name, user.first_name, user.last_name, user.username,
              str(user.phone) if user.phone else ""}
    return sorted((v.strip() for v in values if v and len(v.strip()) >= 3), key=len, reverse=True)


def scrub(text: str, strings: list[str]) -> str:
    for value in strings:
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", DELETED, text, flags=re.IGNORECASE)
    return text


def erase_audit(user, *, keep_content: bool) -> None:

    strings = identifying_strings(user)
    mentions = Q(actor_id=user.pk)
    for value in strings:
        mentions |= Q(summary__icontains=value) | Q(detail__icontains=value) | Q(actor_name__iexact=value)
    for entry in AuditEntry.objects.filter(mentions).iterator():
        fields = {"summary": scrub(entry.summary, strings)[:300],
                  "detail": json.loads(scrub(json.dumps(entry.detail, ensure_ascii=False), strings))}
        if entry.actor_id == user.pk:
            fields.update(actor=None, actor_name=DELETED)
        AuditEntry.objects.filter(pk=entry.pk).anonymise(**fields)


def account_deleted(sender, user_id, actor=None, **kwargs):
    audit_record(actor=actor, action=AuditEntry.Action.ACCOUNT_DELETED,
                 summary="An account was deleted" + (" by staff" if actor is not None else " by its owner"))


def personal_data_shredded(sender, counts, cutoff, **kwargs):
    total = sum(counts.values())
    parts = ", ".join(f"{name}: {count:,}" for name, count in counts.items()) or "nothing registered"
    audit_record(actor=None, action=AuditEntry.Action.RETENTION,
                 summary=f"Retention: {total:,} records kept past {cutoff:%Y-%m-%d} shredded ({parts})",
                 cutoff=cutoff.isoformat(), **counts)
