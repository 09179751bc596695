"""Waitlist places told at RSVP time are unique and match the promotion order, at 32 concurrent
clients on PostgreSQL (the launch-day surge told two people "20")."""

import random
import time

import pytest
from django.db import transaction
from django.utils import timezone

from meetup.events import capacity, selectors, services
from meetup.events.models import RSVP
from tests.concurrency import race
from tests.factories import EventFactory, UserFactory

CLIENTS, PEOPLE, SEATS = 32, 150, 25


def naive_waitlist(event, user) -> int:
    """The bug: arrival time taken before the insert commits, place counted right after."""
    with transaction.atomic():
        arrived = timezone.now()
        time.sleep(random.uniform(0, 0.01))  # the rest of the request between the two
        rsvp = RSVP.objects.create(event=event, user=user, status="waitlisted", created_at=arrived,
                                   ticket_code=capacity.new_ticket_code())
    return selectors.waitlist_position(rsvp)


def _surge(event, users, place) -> list:
    def client(i):
        return [place(users[j]) for j in range(i, len(users), CLIENTS)]

    return [p for told in race(CLIENTS, client) for p in told]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestWaitlistPlaces:
    def test_control_places_counted_from_arrival_times_repeat(self):
        event = EventFactory(capacity=0)
        users = UserFactory.create_batch(PEOPLE - SEATS)

        told = _surge(event, users, lambda user: naive_waitlist(event, user))

        assert len(set(told)) < len(told)  # two people told the same place

    def test_places_told_at_rsvp_time_are_unique_and_match_the_promotion_order(self):
        event = EventFactory(capacity=SEATS)
        users = UserFactory.create_batch(PEOPLE)

        def place(user):
            rsvp = services.rsvp_create(event=event, user=user, accept_code_of_conduct=True)[0]
            return (rsvp.pk, selectors.waitlist_position(rsvp))

        told = [(pk, pos) for pk, pos in _surge(event, users, place) if pos is not None]

        assert RSVP.objects.filter(event=event, status="going").count() == SEATS
        assert sorted(pos for _, pos in told) == list(range(1, PEOPLE - SEATS + 1))
        by_place = [pk for pk, _ in sorted(told, key=lambda t: t[1])]
        assert by_place == [r.pk for r in selectors.waitlist_head(event, PEOPLE)]
        promoted = services.capacity_change(event=event, capacity=SEATS + 10)
        assert list(promoted) == by_place[:10]
