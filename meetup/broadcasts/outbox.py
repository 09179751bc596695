"""Sending what is in the outbox: claim, send, record, retry, sweep.

A worker claims a batch of due deliveries with SELECT ... FOR UPDATE SKIP LOCKED, checks each
person's consent at that moment, marks the batch `sending` and commits. It then calls the provider
outside any transaction and records the outcomes in small groups. So:

- a STOP or an unsubscribe that lands before a message is claimed stops that message;
- workers never wait for each other or send the same row;
- a worker that dies leaves only its claimed rows `sending`; the sweeper queues them again,
  flagged `possible_duplicate` (they are the only messages that may have gone out twice).
"""

import logging
import smtplib
import time
from collections import Counter
from datetime import datetime, timedelta

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from meetup.accounts.models import User
from meetup.broadcasts import render
from meetup.broadcasts.audience import email_consent
from meetup.broadcasts.backends import PermanentError, TransientError, sms_backend
from meetup.broadcasts.models import Broadcast, Delivery
from meetup.broadcasts.quiet_hours import quiet_until, recipient_zone
from meetup.broadcasts.ratelimit import Bucket
from meetup.broadcasts.registry import email_builder, sms_builder
from meetup.broadcasts.sms import segments

logger = logging.getLogger(__name__)

# Outcomes are written every this many messages: fewer commits, and at most this many sent
# messages per worker still look `sending` if the worker dies.
RECORD_EVERY = 20
STALE_ERROR = "A worker stopped while sending this; it was sent again and may have arrived twice."


def _claim_verdict(delivery: Delivery, now: datetime) -> tuple[str, str] | datetime | None:
    """None to send now; a (status, reason) to settle it unsent; a time to hold it until."""
    broadcast, user = delivery.broadcast, delivery.user
    if broadcast.status == Broadcast.Status.CANCELLED:
        return Delivery.Status.CANCELLED, "Cancelled by an organiser"
    if delivery.attempts >= settings.BROADCAST_MAX_ATTEMPTS:
        return Delivery.Status.FAILED, f"Gave up after {delivery.attempts} attempts"
    if user is None:  # an invitation to an address: the person asked nothing yet, so no consent to check
        return None
    if not user.is_active:
        return Delivery.Status.SKIPPED_OPTED_OUT, "The account is closed"
    if delivery.channel == Delivery.Channel.SMS:
        if not (user.sms_opt_in and user.phone):
            return Delivery.Status.SKIPPED_OPTED_OUT, "Opted out of texts before it was sent"
        if broadcast.valid_until and now >= broadcast.valid_until:
            return Delivery.Status.FAILED, "Expired: the event was over before it could be sent"
        if broadcast.kind in Broadcast.QUIET:
            return quiet_until(now, recipient_zone(str(user.phone), broadcast.event.timezone))
        return None
    if not user.email or user.email_undeliverable_at:
        return Delivery.Status.FAILED, "The address bounced earlier"
    if not user.email_opt_in and broadcast.kind not in Broadcast.TRANSACTIONAL:
        return Delivery.Status.SKIPPED_OPTED_OUT, "Unsubscribed from emails before it was sent"
    return None


def deliveries_claim(*, channel: str, limit: int | None = None, now: datetime | None = None) -> list[Delivery]:
    """Claim up to `limit` due deliveries of a channel; returns those to send now, marked `sending`.
    The rest of the batch is settled (opted out, cancelled, expired) or held for quiet hours."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Delivery.Status.QUEUED, channel=channel, not_before__lte=now)
            .select_related("user", "broadcast__event__venue")
            .order_by("not_before", "id")[: limit or settings.BROADCAST_BATCH_SIZE]
        )
        claimed, settled = [], []
        for delivery in batch:
            verdict = _claim_verdict(delivery, now)
            delivery.updated_at = now
            if verdict is None:
                delivery.status, delivery.claimed_at = Delivery.Status.SENDING, now
                delivery.attempts += 1
                claimed.append(delivery)
            elif isinstance(verdict, datetime):
                delivery.not_before, delivery.error = verdict, "Held for quiet hours"
                settled.append(delivery)
            else:
                delivery.status, delivery.error = verdict
                settled.append(delivery)
        # The usual case is one plain UPDATE; only the few rows settled otherwise need their own values.
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
        Delivery.objects.bulk_update(settled, ["status", "not_before", "error", "updated_at"])
    return claimed


def email_fallback_plan(*, delivery: Delivery) -> bool:
    """A text that failed for good goes by email instead, where the broadcast asked for SMS or
    email and the person may be emailed."""
    broadcast = delivery.broadcast
    if delivery.channel != Delivery.Channel.SMS or broadcast.channels != Broadcast.Channels.SMS_OR_EMAIL:
        return False
    if not User.objects.filter(email_consent(), pk=delivery.user_id).exists():
        return False
    _, created = Delivery.objects.get_or_create(
        broadcast=broadcast, user_id=delivery.user_id, channel=Delivery.Channel.EMAIL, key="",
        defaults={"not_before": timezone.now()},
    )
    return created


def _backoff(attempts: int) -> float:
    return min(600.0, 5.0 * 2 ** (attempts - 1))


class _Recorder:
    """Collects outcomes and writes them in groups, only over rows still `sending` (a delivery
    report that arrived first is never overwritten)."""

    SQL = (
        f"UPDATE {Delivery._meta.db_table} SET status = %s, provider_id = %s, error = %s, "
        "not_before = COALESCE(%s, not_before), sent_at = %s, updated_at = %s WHERE id = %s AND status = 'sending'"
    )

    def __init__(self):
        self.rows: list[tuple] = []
        self.counts: Counter = Counter()

    def add(self, delivery: Delivery, status: str, *, provider_id: str = "", error: str = "",
            not_before: datetime | None = None) -> None:
        now = timezone.now()
        sent_at = now if status == Delivery.Status.SENT else None
        at = connection.ops.adapt_datetimefield_value  # raw SQL: store datetimes as the ORM does
        self.rows.append((status, provider_id[:200], error[:300], at(not_before), at(sent_at), at(now), delivery.pk))
        self.counts[status] += 1
        if len(self.rows) >= RECORD_EVERY:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # A lost outcome only means the sweeper sends that message again (flagged), so
                    # these commits need not wait for the disk.
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                cursor.executemany(self.SQL, self.rows)
        self.rows = []


def _retry_or_fail(recorder: _Recorder, delivery: Delivery, exc: TransientError) -> None:
    if delivery.attempts >= settings.BROADCAST_MAX_ATTEMPTS:
        recorder.add(delivery, Delivery.Status.FAILED, error=f"{exc.reason} (gave up after {delivery.attempts} tries)")
        return
    wait = exc.retry_after if exc.retry_after is not None else _backoff(delivery.attempts)
    recorder.add(delivery, Delivery.Status.QUEUED, error=exc.reason,
                 not_before=timezone.now() + timedelta(seconds=wait))


def _fail(recorder: _Recorder, delivery: Delivery, exc: PermanentError) -> None:
    status = Delivery.Status.SKIPPED_OPTED_OUT if exc.opted_out else Delivery.Status.FAILED
    recorder.add(delivery, status, error=exc.reason)
    email_fallback_plan(delivery=delivery)


def recipient_language(delivery: Delivery) -> str:
    """Every message goes out in its recipient's language: the one stored on their account, the
    site's default for an address with no account (an invitation) or an account that chose none."""
    languages = {code for code, _ in settings.LANGUAGES}
    language = delivery.user.language if delivery.user is not None else ""
    return language if language in languages else settings.LANGUAGE_CODE


class _Shared:
    """Per-event placeholder values, computed once per batch and language."""

    def __init__(self):
        self._values: dict[tuple[int, str], dict[str, str]] = {}

    def __call__(self, event) -> dict[str, str]:
        key = (event.pk, translation.get_language())
        if key not in self._values:
            self._values[key] = render.event_values(event)
        return self._values[key]


class _Pacer:
    """Takes segments from the shared bucket in chunks of about a tenth of a second's worth of the
    rate, so a fast provider is not slowed by a bucket round trip per text while a slow rate (one
    segment a second) is still paced text by text."""

    def __init__(self):
        self.bucket = Bucket("sms", settings.SMS_RATE_PER_SECOND)
        self.chunk = max(1.0, min(100.0, settings.SMS_RATE_PER_SECOND / 10))
        self.credit = 0.0

    def take(self, needed: int) -> None:
        if self.credit < needed:
            wanted = max(float(needed), self.chunk)
            self.bucket.acquire(wanted)
            self.credit += wanted
        self.credit -= needed


def _send_sms(claimed: list[Delivery], recorder: _Recorder) -> None:
    backend, shared, pacer = sms_backend(), _Shared(), _Pacer()
    callback = settings.PUBLIC_BASE_URL + reverse("twilio_status") if settings.SMS_BACKEND == "twilio" else None
    for delivery in claimed:
        broadcast = delivery.broadcast
        with translation.override(recipient_language(delivery)):
            builder = sms_builder(broadcast.kind)
            if builder is None:
                text = render.sms_text(broadcast, delivery.user, shared(broadcast.event))
            else:
                text = builder(delivery)
                if text is not None:
                    text += "\n" + str(render.SMS_FOOTER)
        if text is None:  # e.g. the offer was claimed or the person checked in since: nothing to say
            recorder.add(delivery, Delivery.Status.CANCELLED, error="No longer applies (changed before sending)")
            continue
        pacer.take(segments(text).count)
        validity = int((broadcast.valid_until - timezone.now()).total_seconds()) if broadcast.valid_until else None
        if validity is not None and validity < 1:
            recorder.add(delivery, Delivery.Status.FAILED, error="Expired: the event was over before it could be sent")
            continue
        try:
            sent = backend.send(to=str(delivery.user.phone), body=text, status_callback=callback,
                                validity_seconds=validity)
        except TransientError as exc:
            _retry_or_fail(recorder, delivery, exc)
        except PermanentError as exc:
            _fail(recorder, delivery, exc)
        else:
            recorder.add(delivery, Delivery.Status.SENT, provider_id=sent.provider_id)


def _email_message(delivery: Delivery, shared: _Shared):
    """The email, built (subject, text, HTML, dates) in the recipient's language, not the sender's."""
    with translation.override(recipient_language(delivery)):
        builder = email_builder(delivery.broadcast.kind)
        if builder is not None:
            return builder(delivery)
        return render.broadcast_email(delivery.broadcast, delivery.user, shared(delivery.broadcast.event))


def _classify_email_error(exc: Exception) -> Exception:
    if isinstance(exc, smtplib.SMTPRecipientsRefused | AnymailRecipientsRefused):
        return PermanentError(f"Address refused: {exc}")
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        return TransientError(reason) if 400 <= exc.smtp_code < 500 else PermanentError(reason)
    if isinstance(exc, AnymailAPIError) and exc.status_code and 400 <= exc.status_code < 500 \
            and exc.status_code != 429:
        return PermanentError(f"Email provider refused it: {exc}")
    return TransientError(f"Email provider trouble: {exc.__class__.__name__}: {exc}")


def _send_email(claimed: list[Delivery], recorder: _Recorder) -> None:
    shared = _Shared()
    mail = get_connection()
    try:
        for delivery in claimed:
            message = _email_message(delivery, shared)
            if message is None:  # e.g. the RSVP was cancelled since: it is owed nothing
                recorder.add(delivery, Delivery.Status.CANCELLED, error="No longer applies (changed before sending)")
                continue
            message_id = render.stamp_message_id(message)
            message.connection = mail
            try:
                message.send()
            except (smtplib.SMTPException, OSError, AnymailError) as exc:
                error = _classify_email_error(exc)
                if isinstance(error, TransientError):
                    _retry_or_fail(recorder, delivery, error)
                    mail.close()  # a broken connection is opened afresh for the next message
                else:
                    _fail(recorder, delivery, error)
                continue
            status = getattr(message, "anymail_status", None)
            recorder.add(delivery, Delivery.Status.SENT, provider_id=(status and status.message_id) or message_id)
    finally:
        mail.close()


def deliveries_send(claimed: list[Delivery], *, channel: str) -> Counter:
    """Send claimed deliveries (outside any transaction) and record each outcome; returns counts
    by outcome."""
    recorder = _Recorder()
    try:
        (_send_sms if channel == Delivery.Channel.SMS else _send_email)(claimed, recorder)
    finally:
        recorder.flush()
    return recorder.counts


def outbox_work(*, channel: str, budget_seconds: float = 20.0) -> tuple[int, bool]:
    """Claim and send batches until nothing is due or the time budget is spent (tasks stay short).
    Returns (messages handled, whether more may be due)."""
    deadline = time.monotonic() + budget_seconds
    handled = 0
    while time.monotonic() < deadline:
        claimed = deliveries_claim(channel=channel)
        if not claimed and not Delivery.objects.filter(
                status=Delivery.Status.QUEUED, channel=channel, not_before__lte=timezone.now()).exists():
            return handled, False
        handled += sum(deliveries_send(claimed, channel=channel).values())
    return handled, True


def deliveries_sweep(*, stale_after: float | None = None) -> int:
    """Queue again the deliveries whose worker died mid-send, flagged as possible duplicates."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=stale_after if stale_after is not None else settings.BROADCAST_STALE_AFTER)
    swept = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=cutoff).update(
        status=Delivery.Status.QUEUED, possible_duplicate=True, not_before=now, error=STALE_ERROR, updated_at=now)
    if swept:
        logger.warning("Queued %d deliveries again after a worker stopped mid-send", swept)
    return swept
