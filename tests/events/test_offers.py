"""Waitlist offers (invariant 9): a freed seat is held for the head of the waitlist for a while,
claimed with a signed link, or passed on in arrival order when it expires; an expired offer can
never be claimed, and seats never exceed capacity with offers outstanding."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing

from meetup.events import capacity, services
from meetup.events.models import RSVP, Event, Offer
from meetup.lib.errors import Refused
from tests.factories import EventFactory, RSVPFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def full_event(*, going=2, waiting=3, offer_hours=24, starts_in=timedelta(days=7)):
    event = EventFactory(capacity=going, waitlist_mode=Event.WaitlistMode.OFFERS, offer_hours=offer_hours,
                         starts_at=NOW + starts_in, ends_at=NOW + starts_in + timedelta(hours=3))
    for i in range(going + waiting):
        RSVPFactory(event=event, status=RSVP.Status.GOING if i < going else RSVP.Status.WAITLISTED,
                    created_at=NOW - timedelta(minutes=100 - i))
    capacity.recount(event)
    return event


def rsvps(event, status):
    return list(RSVP.objects.filter(event=event, status=status).order_by("created_at", "id"))


def held(event) -> int:
    return sum(event.shards.values_list("taken", flat=True))


def test_a_cancellation_offers_the_seat_to_the_head_of_the_waitlist_and_holds_it():
    event = full_event()
    first_waiting = rsvps(event, RSVP.Status.WAITLISTED)[0]
    leaving = rsvps(event, RSVP.Status.GOING)[0]

    services.rsvp_cancel(event=event, user=leaving.user)

    offer = Offer.objects.get()
    assert offer.rsvp_id == first_waiting.pk and offer.status == Offer.Status.OPEN
    assert offer.expires_at == NOW + timedelta(hours=24)
    assert RSVP.objects.get(pk=first_waiting.pk).status == RSVP.Status.OFFERED
    assert held(event) == event.capacity == 2  # one going, one offered


def test_a_new_rsvp_cannot_take_a_seat_held_by_an_offer():
    event = full_event()
    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)

    newcomer, _ = services.rsvp_create(event=event, user=UserFactory(), accept_code_of_conduct=True)

    assert newcomer.status == RSVP.Status.WAITLISTED


def test_claiming_makes_the_rsvp_going_without_changing_the_seat_count():
    event = full_event()
    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)
    offer = Offer.objects.get()

    rsvp = services.offer_claim(offer=offer)

    assert rsvp.status == RSVP.Status.GOING and rsvp.promoted_at == NOW
    assert Offer.objects.get().status == Offer.Status.CLAIMED
    assert held(event) == 2 and len(rsvps(event, RSVP.Status.GOING)) == 2
    # Claiming again is harmless.
    assert services.offer_claim(offer=offer).pk == rsvp.pk


def test_an_expired_offer_cannot_be_claimed_even_before_the_expiry_job_runs(pinned):
    event = full_event()
    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)
    offer = Offer.objects.get()

    pinned.move_to(offer.expires_at)
    with pytest.raises(Refused) as refused:
        services.offer_claim(offer=offer)

    assert refused.value.code == "offer_expired" and refused.value.status == 410
    assert RSVP.objects.get(pk=offer.rsvp_id).status == RSVP.Status.OFFERED


def test_expiry_passes_the_seat_to_the_next_person_in_arrival_order_once(pinned):
    event = full_event(waiting=3)
    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)
    waiting = [r.pk for r in RSVP.objects.filter(event=event).exclude(status__in=["going", "cancelled"])
               .order_by("created_at", "id")]

    pinned.move_to(NOW + timedelta(hours=24))
    assert services.offers_expire() == 1
    assert services.offers_expire() == 0  # a second run passes nothing

    first, second = Offer.objects.order_by("id")
    assert first.status == Offer.Status.EXPIRED and first.rsvp_id == waiting[0]
    assert second.status == Offer.Status.OPEN and second.rsvp_id == waiting[1]
    assert RSVP.objects.get(pk=waiting[0]).status == RSVP.Status.CANCELLED
    assert held(event) == 2
    with pytest.raises(Refused):
        services.offer_claim(offer=first)

    pinned.move_to(NOW + timedelta(hours=48))
    services.offers_expire()
    assert [o.rsvp_id for o in Offer.objects.order_by("id")] == waiting  # arrival order, one at a time
    assert Offer.objects.filter(status="open").count() == 1


def test_declining_passes_the_seat_on_at_once():
    event = full_event()
    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)
    offer = Offer.objects.get()

    services.offer_decline(offer=offer)

    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DECLINED
    assert Offer.objects.filter(status="open").count() == 1
    assert held(event) == 2
    with pytest.raises(Refused):
        services.offer_claim(offer=offer)


def test_cancelling_an_offered_rsvp_closes_its_offer_and_passes_the_seat():
    event = full_event()
    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)
    offered = RSVP.objects.get(status=RSVP.Status.OFFERED)

    services.rsvp_cancel(event=event, user=offered.user)

    assert Offer.objects.get(rsvp=offered).status == Offer.Status.DECLINED
    assert Offer.objects.filter(status="open").count() == 1 and held(event) == 2


def test_a_capacity_increase_offers_the_new_seats_in_order():
    event = full_event(waiting=3)

    services.capacity_change(event=event, capacity=4)

    assert Offer.objects.filter(status="open").count() == 2
    assert held(event) == 4 and rsvps(event, RSVP.Status.GOING).__len__() == 2


def test_automatic_mode_still_promotes_at_once():
    event = full_event()
    Event.objects.filter(pk=event.pk).update(waitlist_mode=Event.WaitlistMode.AUTO)

    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)

    assert not Offer.objects.exists() and len(rsvps(event, RSVP.Status.GOING)) == 2


@pytest.mark.parametrize(("starts_in", "hours"), [
    (timedelta(days=7), 24), (timedelta(hours=48), 24), (timedelta(hours=40), 10), (timedelta(hours=8), 2),
    (timedelta(hours=2), 1), (timedelta(minutes=-30), 1),
])
def test_the_offer_window_shrinks_in_the_final_48_hours(starts_in, hours):
    window = capacity.offer_window(offer_hours=24, starts_at=NOW + starts_in, now=NOW)
    assert window == timedelta(hours=hours)


def test_a_short_offer_hours_setting_is_never_lengthened():
    assert capacity.offer_window(offer_hours=2, starts_at=NOW + timedelta(hours=40), now=NOW) == timedelta(hours=2)


def test_a_tampered_token_or_one_for_another_offer_finds_nothing():
    event = full_event(waiting=3)
    services.capacity_change(event=event, capacity=4)
    mine, theirs = Offer.objects.order_by("id")
    token = services.offer_token(mine)

    assert services.offer_from_token(token).pk == mine.pk
    assert services.offer_from_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    # Someone else's offer id with my signature, or my ids pointing at another event: refused.
    signer = signing.Signer(salt="meetup.waitlist-offer")
    assert services.offer_from_token(f"{theirs.pk}.{mine.rsvp_id}.{mine.event_id}:" + token.split(":")[1]) is None
    other_event = EventFactory()
    assert services.offer_from_token(signer.sign(f"{mine.pk}.{mine.rsvp_id}.{other_event.pk}")) is None
    for junk in ["", "x", "1.2.3", "\x00", "9" * 300, "a:b:c"]:
        assert services.offer_from_token(junk) is None


def test_a_signed_in_person_cannot_claim_someone_elses_offer():
    event = full_event()
    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)
    offer = Offer.objects.get()

    with pytest.raises(Refused) as refused:
        services.offer_claim(offer=offer, user=UserFactory())

    assert refused.value.status == 403
    assert RSVP.objects.get(pk=offer.rsvp_id).status == RSVP.Status.OFFERED


def test_someone_whose_offer_ran_out_is_told_once_and_not_after_rsvping_again(pinned):
    from meetup.broadcasts.models import Delivery
    from meetup.events.notifications import rsvp_email_for

    event = full_event(waiting=2)
    services.rsvp_cancel(event=event, user=rsvps(event, RSVP.Status.GOING)[0].user)
    offer = Offer.objects.select_related("rsvp__user").get()

    pinned.move_to(NOW + timedelta(hours=24))
    services.offers_expire()
    services.offers_expire()

    delivery = Delivery.objects.get(template="offer-expired")
    assert delivery.user_id == offer.rsvp.user_id and delivery.channel == "email"
    message = rsvp_email_for(delivery)
    assert "has been passed on" in message.subject and message.to == [offer.rsvp.user.email]
    assert "next person on the waitlist" in message.body
    assert not Delivery.objects.filter(template="offer-expired").exclude(pk=delivery.pk).exists()

    services.rsvp_create(event=event, user=offer.rsvp.user, accept_code_of_conduct=True)  # back in line
    assert rsvp_email_for(delivery) is None  # built at send time: nothing to tell any more
