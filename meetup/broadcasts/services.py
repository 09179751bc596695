"""Writing broadcasts: compose, plan the outbox, schedule, cancel, and what providers and
recipients tell us back (delivery reports, STOP/START/HELP, unsubscribe links, bounces).

Sending itself is in `outbox` (claim, send, retry, sweep).
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.fields import BooleanField, CharField, DateTimeField, IntegerField
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetup.accounts.models import ConsentRecord, User
from meetup.accounts.services import consent_set
from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record
from meetup.broadcasts import dispatch, outbox, render
from meetup.broadcasts.audience import AUDIENCES, email_consent, sms_consent
from meetup.broadcasts.models import Broadcast, Delivery
from meetup.events.models import MAX_REMINDER_HOURS, RSVP, Event, reminder_hours_list
from meetup.events.notifications import OWED, owed_kind

LOGISTICS_WINDOW = timedelta(hours=24)

def _braced(names) -> str:
    return ", ".join("{" + name + "}" for name in names)


# --- Compose ----------------------------------------------------------------------------------------
def _validated(broadcast: Broadcast, now: datetime) -> None:
    errors: dict[str, list[str]] = {}
    event = broadcast.event
    if not broadcast.body.strip():
        errors.setdefault("body", []).append(_("Write the message."))
    if broadcast.uses_email and not broadcast.subject.strip():
        errors.setdefault("subject", []).append(_("Emails need a subject."))
    for field in ("subject", "body"):
        unknown = render.unknown_placeholders(getattr(broadcast, field))
        if unknown:
            errors.setdefault(field, []).append(
                _("Unknown placeholder %(value)s; use %(value2)s.") % {
                    "value": _braced(unknown), "value2": _braced(render.PLACEHOLDERS)})
    if len(broadcast.body) > 1500 and broadcast.uses_sms:
        errors.setdefault("body", []).append(_("A text can be at most 1,500 characters (10 segments)."))
    send_at = broadcast.scheduled_for or now
    if broadcast.scheduled_for and broadcast.scheduled_for <= now:
        errors.setdefault("scheduled_for", []).append(_("Schedule it in the future, or send it now."))
    if send_at >= event.ends_at:
        errors.setdefault("scheduled_for", []).append(_("The event will be over by then."))
    if broadcast.kind == Broadcast.Kind.LOGISTICS and send_at < event.starts_at - LOGISTICS_WINDOW:
        errors.setdefault("kind", []).append(
            _("Logistics messages are for events starting within 24 hours; send this as an announcement."))
    if broadcast.kind not in (Broadcast.Kind.ANNOUNCEMENT, Broadcast.Kind.LOGISTICS):
        errors.setdefault("kind", []).append(_("Choose announcement or logistics."))
    if errors:
        raise ValidationError(errors)


def broadcast_create(
    *,
    event: Event,
    created_by: User,
    body: str,
    channels: str = Broadcast.Channels.EMAIL,
    audience: str = Broadcast.Audience.GOING,
    subject: str = "",
    kind: str = Broadcast.Kind.ANNOUNCEMENT,
    scheduled_for: datetime | None = None,
    send: bool = True,
) -> Broadcast:
    """Compose a blast and (with `send`) send it now or schedule it.

    Raises ValidationError keyed by field; nothing is saved then.
    """
    now = timezone.now()
    broadcast = Broadcast(
        event=event, created_by=created_by, kind=kind, channels=channels, audience=audience,
        subject=subject.strip(), body=body.strip(), scheduled_for=scheduled_for, valid_until=event.ends_at,
    )
    try:
        broadcast.full_clean(exclude=["event", "created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    _validated(broadcast, now)
    with transaction.atomic():
        broadcast.save()
        if send and scheduled_for:
            Broadcast.objects.filter(pk=broadcast.pk).update(status=Broadcast.Status.SCHEDULED)
            broadcast.status = Broadcast.Status.SCHEDULED
            when = scheduled_for.astimezone(event.tz)
            audit_record(actor=created_by, action=AuditEntry.Action.BROADCAST_SCHEDULED, event=event,
                         broadcast=broadcast.pk,
                         summary=f"Scheduled “{_title(broadcast)}” for {when:%Y-%m-%d %H:%M %Z}")
        elif send:
            planned = broadcast_send(broadcast=broadcast)
            audit_record(actor=created_by, action=AuditEntry.Action.BROADCAST_SENT, event=event,
                         broadcast=broadcast.pk, summary=f"Sent “{_title(broadcast)}” to {planned:,} recipients "
                                                         f"({broadcast.get_channels_display()})")
    return broadcast


def _title(broadcast: Broadcast) -> str:
    text = broadcast.subject or broadcast.body
    return text if len(text) <= 60 else text[:59] + "…"


def broadcast_send(*, broadcast: Broadcast) -> int:
    """Plan the outbox for a draft or scheduled broadcast and start delivery; returns the number
    of messages planned.

    Planning is one INSERT ... SELECT per channel from the event's RSVPs joined to the people's
    consent, so 100,000 recipients cost a few statements, not 100,000 round trips. The unique key
    (broadcast, person, channel) makes planning twice harmless. Consent is checked again when each
    message is claimed.
    """
    with transaction.atomic():
        updated = Broadcast.objects.filter(
            pk=broadcast.pk, status__in=[Broadcast.Status.DRAFT, Broadcast.Status.SCHEDULED]
        ).update(status=Broadcast.Status.SENDING, planned_at=timezone.now())
        if not updated:  # another tick planned it, or it was cancelled
            return 0
        broadcast.status = Broadcast.Status.SENDING
        planned = outbox_plan(broadcast=broadcast)
    dispatch.kick_on_commit()
    return planned


def outbox_plan(*, broadcast: Broadcast, audience_q: Q | None = None) -> int:
    """Insert the broadcast's delivery rows in set-based SQL. Call inside a transaction."""
    audience = AUDIENCES[broadcast.audience] if audience_q is None else audience_q
    transactional = broadcast.kind in Broadcast.TRANSACTIONAL
    plans = []
    if broadcast.uses_sms:
        plans.append((Delivery.Channel.SMS, sms_consent("user__")))
    if broadcast.uses_email:
        consent = email_consent("user__", transactional=transactional)
        if broadcast.channels == Broadcast.Channels.SMS_OR_EMAIL:
            consent &= ~sms_consent("user__")
        plans.append((Delivery.Channel.EMAIL, consent))
    not_before = broadcast.scheduled_for or timezone.now()
    planned = 0
    for channel, consent in plans:
        rows = (
            RSVP.objects.filter(audience, consent, event_id=broadcast.event_id)
            .annotate(
                b_id=Value(broadcast.pk, output_field=IntegerField()),
                b_channel=Value(channel, output_field=CharField()),
                b_blank=Value("", output_field=CharField()),
                b_status=Value(Delivery.Status.QUEUED, output_field=CharField()),
                b_not_before=Value(not_before, output_field=DateTimeField()),
                b_zero=Value(0, output_field=IntegerField()),
                b_false=Value(False, output_field=BooleanField()),
            )
            .order_by("created_at", "id")
            .values_list("b_id", "user_id", "b_blank", "b_channel", "b_blank", "b_blank", "b_status", "b_not_before",
                         "b_zero", "b_blank", "b_blank", "b_false")
        )
        planned += _insert_select(rows)
    return planned


_COLUMNS = ("broadcast_id, user_id, address, channel, key, template, status, not_before, attempts, provider_id, "
            "error, possible_duplicate")


def _insert_select(queryset) -> int:
    select, params = queryset.query.sql_with_params()
    table = Delivery._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"INSERT INTO {table} ({_COLUMNS}) {select} ON CONFLICT DO NOTHING"
    else:
        sql = f"INSERT OR IGNORE INTO {table} ({_COLUMNS}) {select}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def broadcast_cancel(*, broadcast: Broadcast, actor=None) -> int:
    """Stop a scheduled or sending broadcast: messages not yet claimed are not sent. Returns how
    many were cancelled; messages already in flight finish."""
    with transaction.atomic():
        updated = Broadcast.objects.filter(
            pk=broadcast.pk, status__in=[Broadcast.Status.SCHEDULED, Broadcast.Status.SENDING],
            kind__in=[Broadcast.Kind.ANNOUNCEMENT, Broadcast.Kind.LOGISTICS],
        ).update(status=Broadcast.Status.CANCELLED, cancelled_at=timezone.now())
        if not updated:
            return 0
        broadcast.status = Broadcast.Status.CANCELLED
        cancelled = Delivery.objects.filter(broadcast=broadcast, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.CANCELLED, error="Cancelled by an organiser", updated_at=timezone.now())
        audit_record(actor=actor, action=AuditEntry.Action.BROADCAST_CANCELLED, event=broadcast.event,
                     broadcast=broadcast.pk, summary=f"Cancelled “{_title(broadcast)}”; {cancelled:,} not sent")
        return cancelled


def broadcasts_due_send(*, now: datetime | None = None) -> int:
    """Send the scheduled broadcasts whose time has come; returns how many started."""
    now = now or timezone.now()
    started = 0
    for broadcast in Broadcast.objects.filter(status=Broadcast.Status.SCHEDULED, scheduled_for__lte=now):
        broadcast_send(broadcast=broadcast)
        started += 1
    return started


def broadcasts_finish() -> int:
    """Mark sending broadcasts with nothing left queued or in flight as sent."""
    busy = Delivery.objects.filter(broadcast=OuterRef("pk"),
                                   status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
    return (
        Broadcast.objects.filter(status=Broadcast.Status.SENDING)
        .exclude(kind__in=Broadcast.STREAMS)
        .exclude(Exists(busy))
        .update(status=Broadcast.Status.SENT, finished_at=timezone.now())
    )


# --- Automatic messages ---------------------------------------------------------------------------------
def rsvp_messages_plan(*, limit: int = 1000) -> int:
    """Turn the RSVP emails owed (see RSVP.notified_status) into deliveries on each event's RSVP
    stream, and mark them told, in one transaction; returns how many were planned.

    The RSVP rows are locked SKIP LOCKED, so ticks running at once share the work and each change
    of status is planned once. The RSVP hot path pays nothing for this.
    """
    with transaction.atomic():
        owed = list(
            RSVP.objects.select_for_update(skip_locked=True, of=("self",)).filter(OWED)
            .select_related("user").order_by("id")[:limit]
        )
        if not owed:
            return 0
        streams = {}
        for event_id in {r.event_id for r in owed}:
            streams[event_id], _unused = Broadcast.objects.get_or_create(
                event_id=event_id, kind=Broadcast.Kind.RSVP,
                defaults={"channels": Broadcast.Channels.EMAIL, "status": Broadcast.Status.SENDING,
                          "subject": "Tickets and waitlist updates", "planned_at": timezone.now()},
            )
        now = timezone.now()
        Delivery.objects.bulk_create([
            Delivery(broadcast=streams[r.event_id], user_id=r.user_id, channel=Delivery.Channel.EMAIL,
                     key=f"{r.pk}:{uuid.uuid4().hex[:12]}", template=owed_kind(r), not_before=now)
            for r in owed if r.user.email and r.user.email_undeliverable_at is None
        ])
        RSVP.objects.filter(pk__in=[r.pk for r in owed]).update(notified_status=F("status"))
    dispatch.kick_on_commit()
    return len(owed)


def deliveries_enqueue(*, broadcast: Broadcast, messages, channel: str = Delivery.Channel.EMAIL) -> int:
    """Queue automatic messages: `messages` are (user id, key, template) triples, or (None, key,
    template, address) for someone known only by address. The key makes each message once-only,
    so enqueuing the same messages again adds nothing. Returns how many were new. Their emails
    come from the builder registered for the broadcast's kind (registry.py)."""
    rows = []
    now = timezone.now()
    for user_id, key, template, *address in messages:
        rows.append(Delivery(broadcast=broadcast, user_id=user_id, address=address[0] if address else "",
                             channel=channel, key=key, template=template, not_before=now))
    before = Delivery.objects.filter(broadcast=broadcast).count()
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    dispatch.kick_on_commit()
    return Delivery.objects.filter(broadcast=broadcast).count() - before


def stream_for(*, kind: str, event: Event | None = None, subject: str = "") -> Broadcast:
    """The stream of one kind of automatic message for an event (or site-wide), made on first use."""
    stream, _unused = Broadcast.objects.get_or_create(
        event=event, kind=kind,
        defaults={"channels": Broadcast.Channels.EMAIL, "status": Broadcast.Status.SENDING,
                  "subject": subject or Broadcast.Kind(kind).label, "planned_at": timezone.now()},
    )
    return stream


def automatic_send(*, kind: str, messages, event: Event | None = None) -> int:
    """Queue automatic emails of one kind (see deliveries_enqueue for `messages`) on its stream;
    returns how many were new. Call inside the transaction of the change they announce."""
    return deliveries_enqueue(broadcast=stream_for(kind=kind, event=event), messages=messages)


def venue_change_send(*, event: Event, old_venue_name: str, created_by=None) -> Broadcast:
    """One message to everyone going (including those just promoted): by text where they agreed
    to texts, otherwise by email with the updated calendar file. Call inside the move's
    transaction, so the message exists exactly when the move does."""
    venue = event.venue
    context = {"old_venue": old_venue_name or "", "venue": venue.name, "address": venue.address}
    with translation.override(settings.LANGUAGE_CODE):  # the stored copy; each recipient's is written at send time
        subject, body = render.venue_change_texts(**context, event_title=event.title)
    broadcast = Broadcast.objects.create(
        event=event, kind=Broadcast.Kind.VENUE_CHANGE, channels=Broadcast.Channels.SMS_OR_EMAIL,
        audience=Broadcast.Audience.GOING, subject=subject, body=body, context=context,
        valid_until=event.ends_at, created_by=created_by,
    )
    broadcast_send(broadcast=broadcast)
    return broadcast


# --- What comes back ----------------------------------------------------------------------------------
# Provider statuses that move a delivery on; anything else (queued, accepted, sending) says nothing new.
_SMS_STATUS = {"sent": Delivery.Status.SENT, "delivered": Delivery.Status.DELIVERED, "read": Delivery.Status.DELIVERED,
               "undelivered": Delivery.Status.FAILED, "failed": Delivery.Status.FAILED}
# Which statuses a report may replace: a late "sent" never overwrites "delivered".
_MAY_REPLACE = {
    Delivery.Status.SENT: [Delivery.Status.SENDING, Delivery.Status.SENT],
    Delivery.Status.DELIVERED: [Delivery.Status.SENDING, Delivery.Status.SENT, Delivery.Status.FAILED],
    Delivery.Status.FAILED: [Delivery.Status.SENDING, Delivery.Status.SENT],
}


def delivery_report(*, channel: str, provider_id: str, provider_status: str, error: str = "") -> int:
    """Apply a provider's delivery report to the delivery it sent; returns rows changed."""
    status = _SMS_STATUS.get(provider_status) if channel == Delivery.Channel.SMS else provider_status
    if status not in _MAY_REPLACE or not provider_id:
        return 0
    changes = {"status": status, "updated_at": timezone.now()}
    if status == Delivery.Status.FAILED:
        changes["error"] = error[:300] or "The provider could not deliver it."
    matching = Delivery.objects.filter(channel=channel, provider_id=provider_id, status__in=_MAY_REPLACE[status])
    if status != Delivery.Status.FAILED:
        return matching.update(**changes)
    with transaction.atomic():  # a failed text may go by email instead
        failed = list(matching.select_for_update(of=("self",)).select_related("broadcast"))
        Delivery.objects.filter(pk__in=[d.pk for d in failed]).update(**changes)
        for delivery in failed:
            outbox.email_fallback_plan(delivery=delivery)
    return len(failed)


def email_undeliverable_mark(*, address: str) -> int:
    """A hard bounce: stop emailing this address until the person changes it."""
    return User.objects.filter(email__iexact=address, email_undeliverable_at__isnull=True).update(
        email_undeliverable_at=timezone.now())


def email_unsubscribe(*, user: User, source: str = ConsentRecord.Source.UNSUBSCRIBE_LINK, wording: str) -> bool:
    """Opt out of emails (a one-click link, a complaint); returns whether anything changed."""
    return consent_set(user=user, channel="email", granted=False, source=source, wording=wording)


# --- Offers, "still coming?" and reminders ---------------------------------------------------------------
def asks_send(*, kind: str, event: Event, messages: list[tuple[int, str]], template: str) -> int:
    """Queue an automatic message that asks for an answer (a waitlist offer, "still coming?") by
    email, and by text to those who agreed to texts; `messages` are (user id, once-only key).
    Call inside the transaction that made the offers or questions. Returns deliveries queued."""
    if not messages:
        return 0
    stream = stream_for(kind=kind, event=event)
    texted = set(User.objects.filter(sms_consent(), pk__in=[user_id for user_id, _unused in messages])
                 .values_list("pk", flat=True))
    now = timezone.now()
    rows = [Delivery(broadcast=stream, user_id=u, channel=Delivery.Channel.EMAIL, key=key, template=template,
                     not_before=now) for u, key in messages]
    rows += [Delivery(broadcast=stream, user_id=u, channel=Delivery.Channel.SMS, key=key, template=template,
                      not_before=now) for u, key in messages if u in texted]
    # Each key is new (a new offer or question), so no counting; a repeat would be ignored all the same.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    dispatch.kick_on_commit()
    return len(rows)


# Reminders are planned from when their time comes until half their lead time has passed: an event
# created 3 hours before it starts gets its 2-hour reminder, not a 24-hour one sent late.
def reminders_plan(*, now: datetime | None = None) -> int:
    """Plan the reminders whose time has come (run by the broadcasts tick): one per person going
    and not checked in, by text where they agreed to texts, otherwise by email; once only per
    (hours, RSVP). Texts are held for quiet hours; each message is checked again when sent.
    Returns how many were planned."""
    now = now or timezone.now()
    planned = 0
    upcoming = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=now,
                                    starts_at__lte=now + timedelta(hours=MAX_REMINDER_HOURS)).exclude(reminder_hours="")
    for event in upcoming:
        try:
            hours = reminder_hours_list(event.reminder_hours)
        except ValueError:
            continue
        start = event.starts_at
        due = [h for h in hours if start - timedelta(hours=h) <= now < start - timedelta(hours=h / 2)]
        if not due:
            continue
        h = min(due)
        stream = stream_for(kind=Broadcast.Kind.REMINDER, event=event)
        prefix = f"reminder:{h}:"
        if Delivery.objects.filter(broadcast=stream, key__startswith=prefix).exists():
            continue
        going = list(RSVP.objects.filter(event=event, status=RSVP.Status.GOING, checked_in_at__isnull=True)
                     .values_list("pk", "user_id"))
        texted = set(User.objects.filter(sms_consent(), pk__in=[u for _rsvp, u in going]).values_list("pk", flat=True))
        with transaction.atomic():
            planned += deliveries_enqueue(broadcast=stream, channel=Delivery.Channel.SMS, messages=[
                (u, f"{prefix}{pk}", "reminder") for pk, u in going if u in texted])
            planned += deliveries_enqueue(broadcast=stream, messages=[
                (u, f"{prefix}{pk}", "reminder") for pk, u in going if u not in texted])
    return planned
