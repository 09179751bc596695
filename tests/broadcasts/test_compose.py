from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from meetup.broadcasts import services
from meetup.broadcasts.models import Broadcast, Delivery
from tests.broadcasts.conftest import person, rsvp
from tests.factories import EventFactory


def _planned(broadcast):
    return sorted((d.user.username, d.channel) for d in Delivery.objects.filter(broadcast=broadcast)
                  .select_related("user"))


def _names(crowd, *keys_and_channels):
    return sorted((crowd[key].username, channel) for key, channel in keys_and_channels)


def test_a_blast_plans_one_delivery_per_consenting_recipient_and_channel(event, crowd, organiser):
    broadcast = services.broadcast_create(event=event, created_by=organiser, channels="both", subject="Hi",
                                          body="We crossed 1,500 registrations!")

    assert _planned(broadcast) == _names(
        crowd, ("both1", "sms"), ("both1", "email"), ("both2", "sms"), ("both2", "email"),
        ("email_only", "email"), ("sms_only", "sms"))
    assert broadcast.status == "sending"


def test_sms_or_email_texts_those_who_agreed_and_emails_the_others(event, crowd, organiser):
    broadcast = services.broadcast_create(event=event, created_by=organiser, channels="sms_or_email", subject="Hi",
                                          body="New venue!")

    assert _planned(broadcast) == _names(
        crowd, ("both1", "sms"), ("both2", "sms"), ("email_only", "email"), ("sms_only", "sms"))


@pytest.mark.parametrize(("audience", "expected"), [
    ("waitlisted", ["waiting"]),
    ("all", ["both1", "both2", "email_only", "waiting"]),
    ("checked_in", ["both1"]),
    ("not_checked_in", ["both2", "email_only"]),
])
def test_the_audience_picks_who_is_planned(event, crowd, organiser, audience, expected):
    crowd["both1"].rsvps.update(checked_in_at=timezone.now())

    broadcast = services.broadcast_create(event=event, created_by=organiser, channels="email", subject="Hi",
                                          body="Doors open", audience=audience)

    assert _planned(broadcast) == sorted((crowd[key].username, "email") for key in expected)


def test_planning_twice_adds_nothing(event, crowd, organiser):
    broadcast = services.broadcast_create(event=event, created_by=organiser, channels="both", subject="Hi",
                                          body="Hello", send=False)
    broadcast.refresh_from_db()
    first = services.broadcast_send(broadcast=broadcast)

    again = services.outbox_plan(broadcast=broadcast)

    assert (first, again, Delivery.objects.count()) == (6, 0, 6)


def test_planning_costs_the_same_queries_for_ten_or_two_hundred_recipients(organiser, django_assert_num_queries):
    event = EventFactory(capacity=1000)

    def plan(n):
        for _ in range(n):
            rsvp(event, person())
        broadcast = services.broadcast_create(event=event, created_by=organiser, channels="both", subject="Hi",
                                              body="Hello", send=False)
        # The status change, one INSERT ... SELECT per channel, and a savepoint around them.
        with django_assert_num_queries(5):
            services.broadcast_send(broadcast=broadcast)
        return Delivery.objects.filter(broadcast=broadcast).count()

    assert plan(10) == 20
    assert plan(190) == 400


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"body": "  "}, "body", "Write the message."),
    ({"channels": "email", "subject": ""}, "subject", "Emails need a subject."),
    ({"body": "Hi {name}"}, "body", "Unknown placeholder {name}"),
    ({"body": "x" * 1501, "channels": "sms"}, "body", "at most 1,500 characters"),
    ({"kind": "logistics"}, "kind", "within 24 hours"),
    ({"scheduled_for": "past"}, "scheduled_for", "in the future"),
])
def test_a_blast_that_cannot_go_says_why_and_saves_nothing(event, organiser, fields, field, message):
    values = {"channels": "both", "subject": "Hi", "body": "Hello {first_name}", **fields}
    if values.get("scheduled_for") == "past":
        values["scheduled_for"] = timezone.now() - timedelta(minutes=1)

    with pytest.raises(Exception) as caught:
        services.broadcast_create(event=event, created_by=organiser, **values)

    assert message in " ".join(caught.value.message_dict[field])
    assert not Broadcast.objects.exists()


def test_logistics_are_allowed_within_24_hours_of_the_start(event, crowd, organiser):
    with time_machine.travel(event.starts_at - timedelta(hours=3)):
        broadcast = services.broadcast_create(event=event, created_by=organiser, kind="logistics", channels="sms",
                                              body="Doors at 18:00, bring your ID")

    assert broadcast.kind == "logistics" and broadcast.status == "sending"


def test_a_scheduled_blast_is_planned_when_its_time_comes(event, crowd, organiser):
    at = timezone.now() + timedelta(hours=2)
    broadcast = services.broadcast_create(event=event, created_by=organiser, channels="email", subject="Hi",
                                          body="Reminder", scheduled_for=at)
    assert (broadcast.status, Delivery.objects.count()) == ("scheduled", 0)

    assert services.broadcasts_due_send() == 0
    with time_machine.travel(at + timedelta(seconds=1)):
        assert services.broadcasts_due_send() == 1

    broadcast.refresh_from_db()
    assert (broadcast.status, Delivery.objects.count()) == ("sending", 3)


def test_cancelling_stops_what_is_not_yet_claimed(event, crowd, organiser):
    broadcast = services.broadcast_create(event=event, created_by=organiser, channels="email", subject="Hi",
                                          body="Oops")

    cancelled = services.broadcast_cancel(broadcast=broadcast)

    assert cancelled == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"cancelled"}
    assert Broadcast.objects.get(pk=broadcast.pk).status == "cancelled"
