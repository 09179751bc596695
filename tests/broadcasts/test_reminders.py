"""Reminders at the hours the organiser set (24 and 2 by default): planned once each by the
broadcasts tick, by text where the person agreed (held for quiet hours) and by email otherwise,
with the venue and the ticket link; never to someone who cancelled or is already checked in."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from meetup.broadcasts import services
from meetup.broadcasts.models import Broadcast, Delivery
from meetup.events import services as event_services
from meetup.events.models import RSVP
from tests.broadcasts.conftest import person, rsvp
from tests.factories import EventFactory, VenueFactory
from tests.outbox import deliver_all

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def evening(db):
    """Tomorrow 19:00 in San Francisco (the tests start at noon the day before)."""
    venue = VenueFactory(name="The Foundry", address="1 Market St", timezone="America/Los_Angeles")
    return EventFactory(title="Evening Demos", timezone="America/Los_Angeles", venue=venue, capacity=10,
                        starts_at=datetime(2026, 11, 24, 19, 0, tzinfo=LA),
                        ends_at=datetime(2026, 11, 24, 22, 0, tzinfo=LA))


def reminders():
    return Delivery.objects.filter(broadcast__kind=Broadcast.Kind.REMINDER)


def test_nothing_is_planned_before_the_time(evening):
    rsvp(evening, person())
    assert services.reminders_plan() == 0


def test_the_24_hour_reminder_is_planned_once_by_text_or_else_by_email(evening):
    texted, emailed = person(), person(sms=False)
    rsvp(evening, texted)
    rsvp(evening, emailed)

    with time_machine.travel(datetime(2026, 11, 23, 19, 0, tzinfo=LA)):
        assert services.reminders_plan() == 2
        assert services.reminders_plan() == 0

    assert set(reminders().values_list("user", "channel")) == {(texted.pk, "sms"), (emailed.pk, "email")}
    assert all(key.startswith("reminder:24:") for key in reminders().values_list("key", flat=True))


def test_the_2_hour_reminder_follows_and_each_is_sent_with_venue_and_ticket_link(evening, twilio_server, smtp_inbox):
    bob, carol = person(), person(sms=False)
    rsvp(evening, bob)
    rsvp(evening, carol)

    for moment in (datetime(2026, 11, 23, 19, 0, tzinfo=LA), datetime(2026, 11, 24, 17, 0, tzinfo=LA)):
        with time_machine.travel(moment):
            services.reminders_plan()
            deliver_all()

    texts = [m["Body"] for m in twilio_server.to(str(bob.phone))]
    assert len(texts) == 2 and all("The Foundry, 1 Market St" in t and "/tickets/" in t for t in texts)
    emails = smtp_inbox.to(carol.email)
    assert len(emails) == 2 and "Reminder: Evening Demos" in emails[0]["Subject"]
    assert "/tickets/" in smtp_inbox.last_text(carol.email)


def test_a_late_event_gets_only_the_nearest_reminder(evening):
    rsvp(evening, person())
    with time_machine.travel(datetime(2026, 11, 24, 17, 30, tzinfo=LA)):  # 1.5 h before: the 24 h one is stale
        services.reminders_plan()
    assert list(reminders().values_list("key", flat=True))[0].startswith("reminder:2:")


def test_people_who_cancelled_or_checked_in_are_skipped_at_send_time(evening, twilio_server):
    leaving, arrived, staying = person(), person(), person()
    for someone in (leaving, arrived, staying):
        rsvp(evening, someone)

    with time_machine.travel(datetime(2026, 11, 24, 17, 0, tzinfo=LA)):
        services.reminders_plan()
        event_services.rsvp_cancel(event=evening, user=leaving)
        RSVP.objects.filter(event=evening, user=arrived).update(checked_in_at=timezone.now())
        deliver_all()

    assert twilio_server.to(str(leaving.phone)) == [] and twilio_server.to(str(arrived.phone)) == []
    assert len(twilio_server.to(str(staying.phone))) == 1
    assert reminders().filter(status=Delivery.Status.CANCELLED).count() == 2


def test_reminder_texts_wait_for_the_end_of_quiet_hours(twilio_server):
    early = EventFactory(title="Breakfast Demos", timezone="America/Los_Angeles", capacity=10,
                         starts_at=datetime(2026, 11, 24, 8, 30, tzinfo=LA),
                         ends_at=datetime(2026, 11, 24, 11, 0, tzinfo=LA), reminder_hours="2")
    bob = person()
    rsvp(early, bob)

    with time_machine.travel(datetime(2026, 11, 24, 6, 30, tzinfo=LA)):
        services.reminders_plan()
        deliver_all()
        assert twilio_server.to(str(bob.phone)) == []
        held = reminders().get()
        assert held.status == Delivery.Status.QUEUED and held.not_before == datetime(2026, 11, 24, 8, 0, tzinfo=LA)

    with time_machine.travel(datetime(2026, 11, 24, 8, 0, 5, tzinfo=LA)):
        deliver_all()
    assert len(twilio_server.to(str(bob.phone))) == 1


def test_no_reminders_when_the_organiser_turned_them_off(evening):
    evening.reminder_hours = ""
    evening.save()
    rsvp(evening, person())
    with time_machine.travel(datetime(2026, 11, 23, 19, 0, tzinfo=LA)):
        assert services.reminders_plan() == 0
