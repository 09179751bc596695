"""Writing the audit log: one entry per organiser action. Entries are append-only (models.py)."""

from meetup.audit.models import AuditEntry


def actor_name(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.public_name if hasattr(user, "public_name") else user.get_username()


def audit_record(*, actor, action: str, summary: str, event=None, **detail) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it records, so the entry
    exists exactly when the change does."""
    known = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=known, actor_name=actor_name(known), action=action, event=event, summary=summary[:300], detail=detail)
