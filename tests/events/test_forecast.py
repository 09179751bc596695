from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from meetup.events import forecast, services
from meetup.events.models import RSVP, ForecastAlert
from tests.factories import EventFactory, RSVPFactory, UserFactory, VenueFactory
from tests.outbox import deliver_all

OPEN = datetime(2026, 11, 1, tzinfo=UTC)
NOW = OPEN + timedelta(days=10)
CLOSE = OPEN + timedelta(days=20)
DEFAULT = forecast.show_up_from_history([])


def series(per_day):
    """Arrival times: per_day[d] registrations spread evenly over day d after OPEN."""
    times = []
    for day, n in enumerate(per_day):
        times += [OPEN + timedelta(days=day, seconds=(k + 0.5) * 86400 / n) for k in range(n)]
    return times


def run(per_day, show_up=DEFAULT):
    return forecast.forecast(series(per_day), now=NOW, opens_at=OPEN, closes_at=CLOSE, show_up=show_up)


def test_a_flat_curve_projects_no_growth():
    result = run([50, 50, 0, 0, 0, 0, 0, 0, 0, 0])

    assert (result.registered, result.projected, result.rate_per_day) == (100, 100, 0)
    assert result.turnout == 72


def test_a_linear_curve_projects_the_same_rate_to_the_deadline():
    result = run([20] * 10)

    assert result.projected == 200 + 20 * 10
    assert result.projected_low <= result.projected <= result.projected_high


def test_an_accelerating_curve_projects_from_the_recent_surge():
    result = run([5, 5, 5, 5, 5, 5, 5, 5, 200, 400])  # the post went viral two days ago
    whole_history_rate = result.registered / 10

    assert result.rate_per_day == 300
    assert result.projected == result.registered + 300 * 10
    assert result.projected > result.registered + whole_history_rate * 10
    assert result.projected_high > result.projected  # still building: the busiest half is faster


def test_thin_data_is_bounded_and_flagged():
    result = forecast.forecast([NOW - timedelta(minutes=5), NOW - timedelta(minutes=1)], now=NOW, opens_at=OPEN,
                               closes_at=CLOSE, show_up=DEFAULT)

    assert result.thin
    assert result.projected <= forecast.THIN_RSVPS
    assert result.projected_high <= 2 * forecast.THIN_RSVPS


def test_the_organisers_history_sets_the_show_up_rate():
    show_up = forecast.show_up_from_history([(100, 50), (200, 120), (10, 10), (300, 0)])

    assert (show_up.source, show_up.events) == ("history", 2)  # tiny and unscanned events are skipped
    assert (show_up.rate, show_up.low, show_up.high) == (0.567, 0.5, 0.6)
    assert run([20] * 10, show_up).turnout == round(400 * 0.567)


def test_no_usable_history_falls_back_to_the_documented_default():
    assert (DEFAULT.rate, DEFAULT.low, DEFAULT.high, DEFAULT.source) == (0.72, 0.5, 0.8, "default")


def test_an_event_uses_its_organisers_past_check_ins(organiser):
    past = EventFactory(starts_at=NOW - timedelta(days=40), ends_at=NOW - timedelta(days=40) + timedelta(hours=3))
    past.organisers.add(organiser)
    for i in range(40):
        RSVPFactory(event=past, checked_in_at=past.starts_at if i < 30 else None)
    event = EventFactory(rsvp_opens_at=OPEN, rsvp_closes_at=CLOSE, starts_at=CLOSE, ends_at=CLOSE + timedelta(hours=3))
    event.organisers.add(organiser)

    from meetup.events import selectors

    with time_machine.travel(NOW):
        result = selectors.event_forecast(event)

    assert (result.show_up.source, result.show_up.rate) == ("history", 0.75)


@pytest.fixture
def surging(organiser):
    venue = VenueFactory(capacity_standing=100)
    VenueFactory(name="Big Pier", capacity_standing=2000)
    event = EventFactory(venue=venue, capacity=100, rsvp_opens_at=OPEN, rsvp_closes_at=CLOSE, starts_at=CLOSE,
                         ends_at=CLOSE + timedelta(hours=3))
    event.organisers.add(organiser)
    return event


def _register(event, times):
    users = UserFactory.create_batch(len(times))
    RSVP.objects.bulk_create(
        RSVPFactory.build(event=event, user=u, created_at=t) for u, t in zip(users, times, strict=True))


def test_alerts_fire_once_per_threshold_and_name_venues_that_fit(surging, smtp_inbox):
    _register(surging, series([2] * 8 + [4, 4])[:20])  # slow: ~60 expected
    with time_machine.travel(NOW):
        assert services.forecast_alerts_check(event=surging) == []

        _register(surging, [NOW - timedelta(hours=h) for h in range(1, 60)])  # the post goes viral
        assert services.forecast_alerts_check(event=surging) == [80, 100]
        assert services.forecast_alerts_check(event=surging) == []
        deliver_all()  # the alerts go through the outbox

    assert list(ForecastAlert.objects.values_list("threshold", flat=True)) == [80, 100]
    (message,) = smtp_inbox.to("olivia@example.org")
    assert "passes 100% of the venue" in message["Subject"]
    assert "Big Pier" in message.get_body(preferencelist=("plain",)).get_content()


def test_the_dashboard_shows_the_forecast_to_organisers_only(client, surging, organiser, attendee):
    _register(surging, [NOW - timedelta(hours=h) for h in range(1, 60)])
    client.force_login(attendee)
    assert client.get(f"/events/{surging.slug}/dashboard/").status_code == 403

    client.force_login(organiser)
    with time_machine.travel(NOW):
        page = client.get(f"/events/{surging.slug}/dashboard/").content.decode()

    assert "Expected turnout" in page and "<svg" in page
    assert "Big Pier" in page  # a free venue that fits
