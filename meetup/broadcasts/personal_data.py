"""The outbox's part in a person's rights over their data (registered in apps.py): every message
sent to them, with its status, goes into their archive; on deletion messages not yet sent are
cancelled and the addresses and provider errors kept on their deliveries are cleared (the rows stay,
so each broadcast's counts do)."""

from django.db.models import Q

from meetup.broadcasts.models import Delivery


def _theirs(user) -> Q:
    """Messages to the person, and those sent to their address before it had an account (invitations)."""
    mine = Q(user=user)
    if user.email:
        mine |= Q(user__isnull=True, address__iexact=user.email)
    return mine


def export_messages(user) -> list[dict]:
    deliveries = (Delivery.objects.filter(_theirs(user)).select_related("broadcast", "broadcast__event")
                  .order_by("not_before", "id"))
    return [{"kind": d.broadcast.kind, "subject": d.broadcast.subject,
             "body": d.broadcast.body if not d.template else "", "template": d.template,
             "event": d.broadcast.event.title if d.broadcast.event_id else None, "channel": d.channel,
             "status": d.status, "sent_at": d.sent_at, "updated_at": d.updated_at, "error": d.error}
            for d in deliveries]


def erase_messages(user, *, keep_content: bool) -> None:
    # Messages to their address become theirs, so the address can go and the row (and counts) stay.
    Delivery.objects.filter(_theirs(user)).update(user=user, address="")
    Delivery.objects.filter(user=user, status=Delivery.Status.QUEUED).update(status=Delivery.Status.CANCELLED)
    Delivery.objects.filter(user=user).update(address="", error="")
