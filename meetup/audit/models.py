"""The audit log: who did what to an event, and when.

Invariant kept here: entries are append-only (a model guard, and a PostgreSQL trigger refusing
UPDATE and DELETE)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def anonymise(self, **fields) -> int:
        """The one change allowed, for account deletion: the actor and mentions of the person go,
        the action and its time stay. On PostgreSQL the trigger accepts it only inside a
        transaction that set `meetup.erasure` (accounts.privacy.account_delete)."""
        allowed = {"actor", "actor_name", "summary", "detail"}
        if set(fields) - allowed:
            raise TypeError("Only the actor and the wording of an entry can be anonymised.")
        return super().update(**fields)

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what, when: one row per organiser action. Rows are never changed or deleted (a
    PostgreSQL trigger refuses it too), and they outlive what they describe: the references are
    plain ids, with the names copied at the time. The one exception is account deletion, which
    removes the actor and the person's names from entries and keeps the action and its time."""

    class Action(models.TextChoices):
        CAPACITY = "capacity", _("Capacity changed")
        VENUE_MOVE = "venue_move", _("Moved to another venue")
        BOOKING = "booking", _("Booking changed")
        PROMOTION = "promotion", _("Promoted from the waitlist")
        CHECKIN = "checkin", _("Checked in")
        BROADCAST_SENT = "broadcast_sent", _("Message sent")
        BROADCAST_SCHEDULED = "broadcast_scheduled", _("Message scheduled")
        BROADCAST_CANCELLED = "broadcast_cancelled", _("Message cancelled")
        MODERATION = "moderation", _("Moderation")
        ROLE = "role", _("Roles changed")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")
        RETENTION = "retention", _("Personal data shredded (retention)")
        APPROVAL = "approval", _("Registration approved")
        DECLINE = "decline", _("Registration declined")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=24, choices=Action.choices)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="audit_entries")
    summary = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "-created_at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or 'system'}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")
