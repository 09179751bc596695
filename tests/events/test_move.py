import pytest

from meetup.broadcasts.models import Broadcast
from meetup.events import services
from meetup.events.models import RSVP, Booking, Event
from meetup.events.services import venues
from meetup.lib.errors import Refused
from tests.factories import EventFactory, UserFactory, VenueFactory
from tests.outbox import deliver_all


@pytest.fixture
def outgrown(organiser):
    small, big = VenueFactory(name="Loft", capacity_standing=3), VenueFactory(name="Pier", capacity_standing=5)
    event = EventFactory(venue=small, capacity=3)
    event.organisers.add(organiser)
    services.booking_create(venue=small, starts_at=event.starts_at, ends_at=event.ends_at, confirmed=True, event=event)
    rsvps = [services.rsvp_create(event=event, user=u, accept_code_of_conduct=True)[0]
             for u in UserFactory.create_batch(7)]
    return event, big, rsvps


def test_the_move_confirms_releases_raises_capacity_and_promotes_in_order(outgrown):
    event, big, rsvps = outgrown
    codes = {r.pk: r.ticket_code for r in rsvps}

    promoted = services.venue_move(event=event, venue=big)

    assert promoted == [rsvps[3].pk, rsvps[4].pk]
    assert [RSVP.objects.get(pk=r.pk).status for r in rsvps] == ["going"] * 5 + ["waitlisted"] * 2
    assert {r.pk: r.ticket_code for r in RSVP.objects.filter(event=event)} == codes  # every ticket still works
    event.refresh_from_db()
    assert (event.venue, event.capacity) == (big, 5)
    assert sorted(Booking.objects.values_list("venue__name", "status")) == [("Loft", "released"),
                                                                           ("Pier", "confirmed")]


def test_everyone_going_gets_one_venue_change_message_tracked_per_recipient(outgrown, twilio_server, smtp_inbox):
    event, big, rsvps = outgrown
    texter = rsvps[0].user
    texter.phone, texter.sms_opt_in = "+14155550142", True
    texter.save()

    services.venue_move(event=event, venue=big)
    deliver_all()

    broadcast = Broadcast.objects.get(kind="venue_change")
    going = [r.user for r in rsvps[:5]]  # including the two just promoted
    assert sorted(broadcast.deliveries.values_list("user__username", "channel")) == sorted(
        [(texter.username, "sms")] + [(u.username, "email") for u in going[1:]])
    assert set(broadcast.deliveries.values_list("status", flat=True)) == {"sent"}
    assert "has moved from Loft to Pier" in twilio_server.to("+14155550142")[0]["Body"]
    for user in going[1:]:
        change = [m for m in smtp_inbox.to(user.email) if m["Subject"].startswith("New venue")]
        assert len(change) == 1
        assert "Pier" in change[0].get_body(preferencelist=("plain",)).get_content()
    assert not any(m["Subject"].startswith("New venue") for r in rsvps[5:] for m in smtp_inbox.to(r.user.email))


def test_a_failed_move_sends_no_message(outgrown, monkeypatch):
    event, big, _ = outgrown
    services.booking_create(venue=big, starts_at=event.starts_at, ends_at=event.ends_at, confirmed=True)

    with pytest.raises(Refused):
        services.venue_move(event=event, venue=big)

    assert not Broadcast.objects.filter(kind="venue_change").exists()


def test_the_calendar_file_shows_the_new_place(client, outgrown):
    event, big, _ = outgrown
    services.venue_move(event=event, venue=big)

    assert "Pier" in client.get(f"/events/{event.slug}/calendar.ics").content.decode()


def test_a_failure_after_the_booking_step_changes_nothing(outgrown, monkeypatch):
    event, big, rsvps = outgrown

    def broken(**kwargs):
        raise RuntimeError("the capacity step failed")

    monkeypatch.setattr(venues, "capacity_change", broken)
    with pytest.raises(RuntimeError):
        services.venue_move(event=event, venue=big)

    event.refresh_from_db()
    assert (event.venue.name, event.capacity) == ("Loft", 3)
    assert list(Booking.objects.values_list("venue__name", "status")) == [("Loft", "confirmed")]
    assert RSVP.objects.filter(event=event, status="going").count() == 3
    assert not Broadcast.objects.filter(kind="venue_change").exists()


def test_a_taken_venue_refuses_the_move_and_changes_nothing(outgrown):
    event, big, _ = outgrown
    services.booking_create(venue=big, starts_at=event.starts_at, ends_at=event.ends_at, confirmed=True)

    with pytest.raises(Refused, match="already booked"):
        services.venue_move(event=event, venue=big)

    assert Event.objects.get(pk=event.pk).venue.name == "Loft"


def test_the_move_through_the_api(api, organiser, outgrown):
    event, big, _ = outgrown

    response = api(organiser).post(f"/api/events/{event.slug}/move", {"venue": big.slug, "capacity": 4})

    assert response.status_code == 200
    body = response.json()
    assert (body["promoted"], body["event"]["capacity"], body["event"]["venue"]["slug"]) == (1, 4, big.slug)


def test_the_move_page_from_the_dashboard(client, organiser, outgrown):
    event, big, _ = outgrown
    client.force_login(organiser)

    preview = client.get(f"/events/{event.slug}/move/{big.slug}/").content.decode()
    done = client.post(f"/events/{event.slug}/move/{big.slug}/", {"capacity": 5}, follow=True).content.decode()

    assert "about <strong>2</strong> of 4" in preview
    assert "is now at Pier; 2 promoted" in done
