"""Invariant 9 under load on PostgreSQL: a seat held by an open offer is handed out once, whether
claims race the expiry job, expiry jobs race each other, or claims race a surge of new RSVPs.

Each race first runs a naive control (read, decide in Python, write) that shows the race is real
here, then the services under the same load. Threads use their own connections and start together."""

import functools
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from meetup.events import capacity, services
from meetup.events.models import RSVP, Event, Offer
from meetup.lib.errors import Refused
from tests.concurrency import race
from tests.factories import EventFactory, RSVPFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def offers_event(*, seats=10, waiting=30, mode=Event.WaitlistMode.OFFERS):
    """Full, with `waiting` on the waitlist, and every seat then freed: `seats` open offers."""
    event = EventFactory(capacity=seats, waitlist_mode=mode)
    start = timezone.now() - timedelta(hours=1)
    going = [RSVPFactory(event=event, created_at=start + timedelta(seconds=i)) for i in range(seats)]
    for i in range(waiting):
        RSVPFactory(event=event, status=RSVP.Status.WAITLISTED, created_at=start + timedelta(seconds=seats + i))
    capacity.recount(event)
    for rsvp in going:
        services.rsvp_cancel(event=event, user=rsvp.user)
    # One deadline for all, so claims and expiry jobs all meet at the same moment.
    Offer.objects.filter(event=event).update(expires_at=timezone.now() + timedelta(hours=24))
    return event


def seats_held(event) -> tuple[int, int]:
    going = RSVP.objects.filter(event=event, status=RSVP.Status.GOING).count()
    offered = RSVP.objects.filter(event=event, status=RSVP.Status.OFFERED).count()
    return going, offered


# --- Claims racing expiry -------------------------------------------------------------------------------
def _rolled_back_on_deadlock(naive, nothing):
    """A naive transaction PostgreSQL picks as a deadlock victim did nothing (it rolled back)."""
    def run(*args):
        try:
            return naive(*args)
        except OperationalError as exc:
            if "deadlock" not in str(exc):
                raise
            return nothing
    return run


@functools.partial(_rolled_back_on_deadlock, nothing=False)
def naive_claim(offer_id, now) -> bool:
    with transaction.atomic():
        offer = Offer.objects.get(pk=offer_id)
        if offer.status != "open" or offer.expires_at <= now:
            return False
        time.sleep(0.01)
        Offer.objects.filter(pk=offer_id).update(status="claimed")
        RSVP.objects.filter(pk=offer.rsvp_id).update(status="going")
        return True


@functools.partial(_rolled_back_on_deadlock, nothing=0)
def naive_expire(event, now) -> int:
    with transaction.atomic():
        due = list(Offer.objects.filter(event=event, status="open", expires_at__lte=now))
        time.sleep(0.01)
        for offer in due:
            Offer.objects.filter(pk=offer.pk).update(status="expired")
            RSVP.objects.filter(pk=offer.rsvp_id).update(status="cancelled")
            nxt = RSVP.objects.filter(event=event, status="waitlisted").order_by("created_at", "id").first()
            RSVP.objects.filter(pk=nxt.pk).update(status="offered")
            Offer.objects.create(event=event, rsvp=nxt, created_at=now, expires_at=now + timedelta(hours=24))
        return len(due)


def claims_and_expiry(event, claim, expire, *, expirers=2):
    """Every open offer is claimed by its own thread a moment before it expires, while expiry
    jobs run a moment after: both sides believe they are right."""
    offers = list(Offer.objects.filter(event=event, status="open").order_by("id"))
    deadline = offers[0].expires_at
    before, after = deadline - timedelta(microseconds=1), deadline

    def work(i):
        if i < len(offers):
            return ("claim", claim(offers[i], before))
        return ("expire", expire(after))

    results = race(len(offers) + expirers, work)
    claimed = sum(1 for kind, ok in results if kind == "claim" and ok)
    expired = sum(n for kind, n in results if kind == "expire")
    return len(offers), claimed, expired


def test_control_a_naive_claim_and_expiry_hand_one_seat_to_two_people():
    for _attempt in range(3):  # a run where deadlocks rolled back the overlap may show nothing: try again
        event = offers_event()
        offers, claimed, expired = claims_and_expiry(
            event, lambda offer, now: naive_claim(offer.pk, now), lambda now, e=event: naive_expire(e, now))
        if claimed + expired > offers:
            break

    assert claimed + expired > offers  # some seats were both claimed and passed on


def _claim(offer, now) -> bool:
    try:
        return services.offer_claim(offer=Offer.objects.select_related("event").get(pk=offer.pk),
                                    now=now).status == RSVP.Status.GOING
    except Refused:
        return False


def test_claims_racing_the_expiry_job_settle_each_offer_once_and_never_overbook():
    event = offers_event()

    offers, claimed, expired = claims_and_expiry(event, _claim, lambda now: services.offers_expire(now=now))

    assert claimed + expired == offers
    going, offered = seats_held(event)
    assert going == claimed and offered == expired  # every expired seat offered to exactly one next person
    assert going + offered == event.capacity == sum(event.shards.values_list("taken", flat=True))
    first_ten = Offer.objects.filter(event=event).order_by("id")[:offers]
    assert all(o.status in ("claimed", "expired") for o in first_ten)
    # An expired offer is never claimed afterwards.
    for offer in Offer.objects.filter(event=event, status="expired"):
        assert not _claim(offer, offer.expires_at - timedelta(seconds=1))


def test_expiry_jobs_racing_each_other_pass_each_seat_once_in_arrival_order():
    event = offers_event(seats=10, waiting=30)
    deadline = Offer.objects.filter(event=event).first().expires_at

    results = race(6, lambda i: services.offers_expire(now=deadline))

    assert sum(results) == 10
    assert Offer.objects.filter(event=event, status="open").count() == 10
    assert seats_held(event) == (0, 10)
    offered_order = list(Offer.objects.filter(event=event).order_by("id").values_list("rsvp__created_at", flat=True))
    assert offered_order == sorted(offered_order)


# --- Claims racing new RSVPs ----------------------------------------------------------------------------
def naive_offers_event(seats=10, waiting=10):
    """The bug this design avoids: an offer that does not hold its seat (the seat is free again
    while the person decides)."""
    event = EventFactory(capacity=seats)
    start = timezone.now() - timedelta(hours=1)
    for i in range(seats - 5):
        RSVPFactory(event=event, created_at=start + timedelta(seconds=i))
    capacity.recount(event)  # five free seats...
    waiting = [RSVPFactory(event=event, status=RSVP.Status.WAITLISTED, created_at=start + timedelta(seconds=60 + i))
               for i in range(waiting)]
    offers = [Offer.objects.create(event=event, rsvp=r, created_at=start, expires_at=start + timedelta(days=1))
              for r in waiting[:5]]  # ...and five offers outstanding that do not hold them
    return event, offers


def test_control_offers_that_do_not_hold_seats_overbook_when_claims_race_new_rsvps():
    event, offers = naive_offers_event()
    newcomers = UserFactory.create_batch(30)

    def work(i):
        if i < len(offers):
            time.sleep(0.01)
            RSVP.objects.filter(pk=offers[i].rsvp_id).update(status="going")
            return "claimed"
        return services.rsvp_create(event=event, user=newcomers[i - len(offers)], accept_code_of_conduct=True)[0].status

    race(len(offers) + len(newcomers), work)

    assert RSVP.objects.filter(event=event, status="going").count() > event.capacity


def test_claims_racing_new_rsvps_never_overbook_and_newcomers_wait():
    event = offers_event(seats=10, waiting=15)
    # Ten offers out, five people still waiting. Five offers are claimed while the other five are
    # declined, racing 30 newcomers: each declined seat goes to someone who was already waiting.
    offers = list(Offer.objects.filter(event=event, status="open").order_by("id"))
    newcomers = UserFactory.create_batch(30)

    def work(i):
        if i < 5:
            return _claim(offers[i], timezone.now())
        if i < 10:
            services.offer_decline(offer=Offer.objects.select_related("event").get(pk=offers[i].pk))
            return "declined"
        return services.rsvp_create(event=event, user=newcomers[i - 10], accept_code_of_conduct=True)[0].status

    results = race(40, work)

    assert results[:5] == [True] * 5
    assert results[10:].count(RSVP.Status.WAITLISTED) == 30  # the seats stayed with the waitlist
    going, offered = seats_held(event)
    assert going == 5 and offered == 5
    assert not RSVP.objects.filter(event=event, status="offered", user__in=newcomers).exists()
    assert going + offered == event.capacity == sum(event.shards.values_list("taken", flat=True))
