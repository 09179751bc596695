"""Seat accounting: the only code that writes CapacityShard rows.

Two kinds of writers touch an event's seats:

* RSVPs (the surge). The fast path is one SQL statement in autocommit on PostgreSQL: take a seat
  from any shard with room that no one else holds (SKIP LOCKED) and insert the going RSVP in the
  same statement. A shard row is locked for that statement and its commit only.
* Everything that frees or adds seats (cancellations, capacity changes, manual promotions). These
  take the event's exclusive advisory lock and lock every shard, then settle: promote the waitlist
  in arrival order into the free seats and spread seats and takers evenly again.

A waitlisted RSVP is only written after trying every shard with committed room (each try waits
for the shard's holder and re-checks, so a holder that rolls back leaves its seat to us) under the
shared advisory lock. So a seat-freeing transaction either sees that RSVP (and promotes it in
order) or finished before it (and the tries see the new seat): a free seat and a waitlist never
coexist.

On SQLite every write transaction is IMMEDIATE and so already serialised; the same steps run
without the locks.

Waitlist offers (events with `waitlist_mode = offers`): settling hands a free seat to the head of the
waitlist as an open Offer instead of a ticket. The RSVP becomes `offered` and keeps the seat in the
shards (`taken` counts seats held: going RSVPs and open offers), so a new RSVP can never take it.
Claiming it changes no counter; an expired or declined offer frees the seat under a Settlement,
which offers it to the next person in the same transaction.
"""

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from meetup.events import readcache
from meetup.events.models import RSVP, CapacityShard, Event, Offer
from meetup.events.signals import offers_made

# At least the number of requests expected at once, so SKIP LOCKED nearly always finds a free row.
SHARDS = 32
# Advisory lock keys live in one bigint space shared with the rest of the database: namespace ours.
_LOCK_NAMESPACE = 0x4D54 << 48


def new_ticket_code() -> str:
    return secrets.token_urlsafe(16)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _spread(total: int, n: int) -> list[int]:
    return [total // n + (1 if i < total % n else 0) for i in range(n)]


def shards_create(event: Event) -> None:
    CapacityShard.objects.bulk_create(
        CapacityShard(event=event, index=i, seats=seats) for i, seats in enumerate(_spread(event.capacity, SHARDS))
    )


def _advisory_lock(event_id: int, *, shared: bool) -> None:
    if _postgres():
        fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {fn}(%s)", [_LOCK_NAMESPACE + event_id])


_FAST_INSERT = """
WITH seat AS (
    UPDATE events_capacityshard SET taken = taken + 1
    WHERE id = (
        SELECT id FROM events_capacityshard
        WHERE event_id = %(event)s AND taken < seats
        ORDER BY random() LIMIT 1
        FOR UPDATE SKIP LOCKED
    )
    RETURNING id
)
INSERT INTO events_rsvp (event_id, user_id, status, created_at, ticket_code, notified_status)
SELECT %(event)s, %(user)s, 'going', clock_timestamp(), %(code)s, '' FROM seat
RETURNING id, created_at
"""


def place_new(*, event: Event, user) -> RSVP | None:
    """Insert a user's first RSVP, going if a seat is free, else waitlisted; None if they already
    have an RSVP for this event (the unique constraint rolled this one back, seat included).

    Arrival time (`created_at`) is taken when the seat is decided, so everyone going arrived
    before everyone waitlisted. The fast path needs autocommit; inside a transaction (tests, or a
    caller's larger change) the locked path runs instead.
    """
    rsvp = RSVP(event=event, user=user, ticket_code=new_ticket_code())
    try:
        if _postgres() and connection.get_autocommit():
            with connection.cursor() as cursor:
                cursor.execute(_FAST_INSERT, {"event": event.pk, "user": user.pk, "code": rsvp.ticket_code})
                row = cursor.fetchone()
            if row:
                rsvp.pk, rsvp.created_at, rsvp.status = row[0], row[1], RSVP.Status.GOING
                return rsvp
        with transaction.atomic():
            rsvp.status = _take_seat_or_waitlist(event.pk)
            rsvp.created_at = timezone.now()
            if rsvp.status == RSVP.Status.WAITLISTED:
                rsvp.waitlist_seq, rsvp.created_at = waitlist_place(event.pk)
            rsvp.save(force_insert=True)
    except IntegrityError as exc:
        if _is_duplicate_rsvp(exc):
            return None
        raise
    return rsvp


def _is_duplicate_rsvp(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL names the constraint
        return diag.constraint_name == "one_rsvp_per_user_and_event"
    return "events_rsvp.event_id, events_rsvp.user_id" in str(exc)


def place_again(*, rsvp: RSVP) -> str | None:
    """Bring a cancelled RSVP back as a new arrival. None if it is no longer cancelled."""
    with transaction.atomic():
        status = _take_seat_or_waitlist(rsvp.event_id)
        seq, arrived = waitlist_place(rsvp.event_id) if status == RSVP.Status.WAITLISTED else (None, timezone.now())
        updated = RSVP.objects.filter(pk=rsvp.pk, status=RSVP.Status.CANCELLED).update(
            status=status, created_at=arrived, cancelled_at=None, promoted_at=None, checked_in_at=None,
            ticket_code=new_ticket_code(), waitlist_seq=seq,
        )
        if not updated:
            transaction.set_rollback(True)
            return None
    return status


def place_requested(*, rsvp: RSVP) -> str | None:
    """An organiser approved a requested RSVP: it arrives now, going if a seat is free, else
    waitlisted, by the same steps as any arrival. None if it is no longer requested (decided or
    cancelled by someone else first); the seat taken is then given back by the rollback."""
    with transaction.atomic():
        status = _take_seat_or_waitlist(rsvp.event_id)
        seq, arrived = waitlist_place(rsvp.event_id) if status == RSVP.Status.WAITLISTED else (None, timezone.now())
        updated = RSVP.objects.filter(pk=rsvp.pk, status=RSVP.Status.REQUESTED).update(
            status=status, created_at=arrived, decided_at=timezone.now(), waitlist_seq=seq,
        )
        if not updated:
            transaction.set_rollback(True)
            return None
    return status


def waitlist_place(event_id: int):
    """Inside the transaction that waitlists an RSVP: the event's next waitlist place and the
    arrival time to record with it. The event row stays locked until commit, so places are handed
    out in commit order and the arrival time, read after the lock, follows the same order: the
    place someone is told is never told to anyone else and matches the promotion order."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE events_event SET waitlist_last = waitlist_last + 1 WHERE id = %s "
                           "RETURNING waitlist_last, clock_timestamp()", [event_id])
            return cursor.fetchone()
    Event.objects.filter(pk=event_id).update(waitlist_last=F("waitlist_last") + 1)
    return Event.objects.values_list("waitlist_last", flat=True).get(pk=event_id), timezone.now()


def _take_seat_or_waitlist(event_id: int) -> str:
    """Inside a transaction: take a seat, waiting for shards others hold; else say waitlisted."""
    _advisory_lock(event_id, shared=True)
    # Each conditional update waits for whoever holds that shard (for one statement and a commit)
    # and re-checks the room afterwards; locking one shard at a time keeps this path from queueing
    # the fast path behind it.
    with_room = CapacityShard.objects.filter(event_id=event_id, taken__lt=F("seats")).order_by("?")
    for shard_id in with_room.values_list("id", flat=True):
        if CapacityShard.objects.filter(pk=shard_id, taken__lt=F("seats")).update(taken=F("taken") + 1):
            return RSVP.Status.GOING
    return RSVP.Status.WAITLISTED


class Settlement:
    """Seat-freeing work on one event, under its exclusive lock with every shard locked.

    Use as `with Settlement(event) as s: ...`; on exit the waitlist is promoted in order into free
    seats and seats are spread evenly again. `s.promoted` lists the RSVP ids promoted; on events
    with waitlist offers `s.offered` lists the Offer ids opened instead.
    """

    def __init__(self, event: Event):
        self.event = event
        self.promoted: list[int] = []
        self.offered: list[int] = []
        self._atomic = transaction.atomic()

    def __enter__(self) -> "Settlement":
        self._atomic.__enter__()
        _advisory_lock(self.event.pk, shared=False)
        self.shards = list(CapacityShard.objects.select_for_update().filter(event=self.event).order_by("index"))
        # Re-read the capacity under the lock; the caller's copy may be stale.
        (self.event.capacity, self.event.waitlist_mode, self.event.offer_hours, self.event.starts_at) = (
            Event.objects.values_list("capacity", "waitlist_mode", "offer_hours", "starts_at").get(pk=self.event.pk))
        self.going = sum(s.taken for s in self.shards)
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self._settle()
        except BaseException as settle_exc:
            self._atomic.__exit__(type(settle_exc), settle_exc, settle_exc.__traceback__)
            raise
        return self._atomic.__exit__(exc_type, exc, tb)

    def release_seat(self) -> None:
        """One going RSVP left, or an open offer closed unclaimed (the caller changed its row)."""
        self.going -= 1

    def add_going(self, n: int = 1) -> None:
        """The caller made n RSVPs going outside the waitlist order (manual promotion)."""
        self.going += n

    def set_capacity(self, capacity: int) -> None:
        self.event.capacity = capacity
        Event.objects.filter(pk=self.event.pk).update(capacity=capacity, updated_at=timezone.now())
        readcache.forget_on_commit(self.event.slug)

    @property
    def free(self) -> int:
        return max(0, self.event.capacity - self.going)

    def _settle(self) -> None:
        room = self.free
        if room:
            ids = list(
                RSVP.objects.filter(event=self.event, status=RSVP.Status.WAITLISTED)
                .order_by("created_at", "id").values_list("id", flat=True)[:room]
            )
            if ids and self.event.waitlist_mode == Event.WaitlistMode.OFFERS:
                self.offered = _offers_open(self.event, ids)
                self.going += len(ids)
            elif ids:
                RSVP.objects.filter(pk__in=ids).update(status=RSVP.Status.GOING, promoted_at=timezone.now())
                self.promoted = ids
                self.going += len(ids)
        seats = _spread(max(self.event.capacity, self.going), len(self.shards))
        taken = _spread(self.going, len(self.shards))
        for shard, s, t in zip(self.shards, seats, taken, strict=True):
            shard.seats, shard.taken = s, t
        CapacityShard.objects.bulk_update(self.shards, ["seats", "taken"])


# RSVP statuses that hold a seat in the shards.
SEAT_HOLDERS = (RSVP.Status.GOING, RSVP.Status.OFFERED)


def recount(event: Event) -> int:
    """Rebuild an event's shards from its RSVP rows (after a bulk import); returns the seats held."""
    with Settlement(event) as settlement:
        settlement.going = RSVP.objects.filter(event=event, status__in=SEAT_HOLDERS).count()
    return settlement.going


# --- Waitlist offers ------------------------------------------------------------------------------
# Offers shrink near the start so a seat can still pass down the waitlist several times before
# the doors open: the full `offer_hours` while the start is 48 hours or more away, then a quarter
# of the time left, never under an hour (and never more than `offer_hours`).
SHORT_OFFERS_WITHIN = timedelta(hours=48)
SHORTEST_OFFER = timedelta(hours=1)


def offer_window(*, offer_hours: int, starts_at: datetime, now: datetime) -> timedelta:
    full = timedelta(hours=offer_hours)
    to_start = starts_at - now
    if to_start >= SHORT_OFFERS_WITHIN:
        return full
    return min(full, max(SHORTEST_OFFER, to_start / 4))


def _offers_open(event: Event, rsvp_ids: list[int]) -> list[int]:
    """Inside a Settlement: the waitlisted RSVPs `rsvp_ids` (in arrival order) are offered the free
    seats; returns the new Offer ids. Their people are told through the outbox (offers_made)."""
    now = timezone.now()
    expires_at = now + offer_window(offer_hours=event.offer_hours, starts_at=event.starts_at, now=now)
    RSVP.objects.filter(pk__in=rsvp_ids, status=RSVP.Status.WAITLISTED).update(status=RSVP.Status.OFFERED)
    offers = Offer.objects.bulk_create(
        [Offer(event_id=event.pk, rsvp_id=rsvp_id, created_at=now, expires_at=expires_at) for rsvp_id in rsvp_ids])
    ids = [offer.pk for offer in offers]
    offers_made.send(sender=Offer, event=event, offer_ids=ids)
    return ids
