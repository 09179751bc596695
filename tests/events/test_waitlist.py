"""Invariant 2: the waitlist is first come, first served; freed seats and capacity increases promote
in order, in the same transaction, and the promoted are told."""

import pytest

from meetup.events import services
from meetup.events.models import RSVP, Event
from meetup.events.notifications import owed_kind
from tests.factories import EventFactory, UserFactory
from tests.outbox import deliver_all


def _rsvp(event, n):
    users = UserFactory.create_batch(n)
    return [services.rsvp_create(event=event, user=u, accept_code_of_conduct=True)[0] for u in users]


def _status(rsvps):
    return [RSVP.objects.get(pk=r.pk).status for r in rsvps]


def _going(event):
    shards = sum(event.shards.values_list("taken", flat=True))
    rows = RSVP.objects.filter(event=event, status="going").count()
    assert shards == rows  # the seat count and the rows never drift apart
    return rows


@pytest.fixture
def full_event(db):
    event = EventFactory(capacity=3)
    return event, _rsvp(event, 3), _rsvp(event, 4)


def _owed(rsvps):
    return [owed_kind(RSVP.objects.get(pk=r.pk)) for r in rsvps]


def test_a_cancellation_promotes_the_head_of_the_waitlist_and_tells_them(full_event):
    event, going, waiting = full_event
    deliver_all()

    services.rsvp_cancel(event=event, user=going[1].user)

    assert _status(waiting) == ["going", "waitlisted", "waitlisted", "waitlisted"]
    assert _going(event) == 3
    assert _owed(waiting) == ["promoted", None, None, None]


def test_waitlist_positions_move_up_after_a_promotion(api, full_event):
    event, going, waiting = full_event
    services.rsvp_cancel(event=event, user=going[0].user)

    positions = [api(r.user).get(f"/api/events/{event.slug}/rsvp").json()["waitlist_position"] for r in waiting]

    assert positions == [None, 1, 2, 3]


def test_a_waitlisted_person_leaving_promotes_nobody(full_event):
    event, going, waiting = full_event

    services.rsvp_cancel(event=event, user=waiting[0].user)

    assert _status(waiting)[1:] == ["waitlisted"] * 3
    assert _going(event) == 3


def test_raising_capacity_promotes_as_many_as_fit_in_order(full_event):
    event, going, waiting = full_event
    deliver_all()

    promoted = services.capacity_change(event=event, capacity=5)

    assert promoted == [waiting[0].pk, waiting[1].pk]
    assert _status(waiting) == ["going", "going", "waitlisted", "waitlisted"]
    assert _going(event) == 5
    assert _owed(waiting) == ["promoted", "promoted", None, None]


def test_lowering_capacity_removes_nobody_and_stops_new_seats(full_event):
    event, going, waiting = full_event

    services.capacity_change(event=event, capacity=1)
    newcomer = _rsvp(event, 1)[0]

    assert _status(going) == ["going"] * 3
    assert newcomer.status == "waitlisted"
    assert Event.objects.get(pk=event.pk).capacity == 1


def test_after_lowering_capacity_cancellations_shrink_to_it_before_anyone_is_promoted(full_event):
    event, going, waiting = full_event
    services.capacity_change(event=event, capacity=2)

    services.rsvp_cancel(event=event, user=going[0].user)  # 2 going: at capacity, nobody promoted
    assert _status(waiting) == ["waitlisted"] * 4
    services.rsvp_cancel(event=event, user=going[1].user)  # a seat is free again: the head goes

    assert _status(waiting) == ["going", "waitlisted", "waitlisted", "waitlisted"]
    assert _going(event) == 2


def test_a_manual_promotion_adds_a_seat_when_the_event_is_full(full_event):
    event, going, waiting = full_event

    services.rsvp_promote(rsvp=waiting[2])

    assert _status(waiting) == ["waitlisted", "waitlisted", "going", "waitlisted"]
    assert Event.objects.get(pk=event.pk).capacity == 4
    assert _going(event) == 4


def test_a_manual_promotion_of_someone_going_is_refused(full_event):
    from meetup.lib.errors import Refused

    event, going, waiting = full_event

    with pytest.raises(Refused, match="not on the waitlist"):
        services.rsvp_promote(rsvp=going[0])


def test_the_capacity_page_previews_who_would_be_promoted(client, organiser, full_event):
    event, going, waiting = full_event
    event.organisers.add(organiser)
    client.force_login(organiser)

    page = client.get(f"/events/{event.slug}/capacity/", {"capacity": 5}).content.decode()

    assert "2 would be promoted" in page
    assert waiting[0].user.public_name in page and waiting[2].user.public_name not in page
    assert _status(waiting) == ["waitlisted"] * 4  # a preview changes nothing


def test_the_capacity_page_applies_the_change(client, organiser, full_event):
    event, going, waiting = full_event
    event.organisers.add(organiser)
    client.force_login(organiser)

    client.post(f"/events/{event.slug}/capacity/", {"capacity": 4})

    assert _status(waiting) == ["going", "waitlisted", "waitlisted", "waitlisted"]
