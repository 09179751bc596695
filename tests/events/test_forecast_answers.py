"""The turnout forecast uses "still coming?" answers: people who said yes and people who stayed
silent come at the rates measured at the organiser's past events with check-ins; without such
history both use the general show-up rate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetup.events import forecast, selectors
from meetup.events.models import RSVP, Reconfirmation
from tests.factories import EventFactory, RSVPFactory


def base(projected=100, rate=0.72):
    show_up = forecast.ShowUp(rate, 0.5, 0.8, source="default")
    return forecast.Forecast(registered=projected, projected=projected, projected_low=projected,
                             projected_high=projected, show_up=show_up, turnout=round(projected * rate),
                             turnout_low=round(projected * 0.5), turnout_high=round(projected * 0.8),
                             rate_per_day=0, thin=False)


def test_yes_and_silent_people_come_at_their_measured_rates():
    answers = forecast.answers_show_up(yes=60, silent=40, past_yes=(100, 90), past_silent=(50, 20),
                                       show_up=base().show_up)

    result = forecast.with_answers(base(), answers)

    assert (answers.yes_rate, answers.silent_rate, answers.source) == (0.9, 0.4, "history")
    assert result.turnout == 60 * 0.9 + 40 * 0.4 == 70


def test_without_enough_past_answers_both_use_the_general_rate():
    answers = forecast.answers_show_up(yes=60, silent=40, past_yes=(10, 9), past_silent=(100, 20),
                                       show_up=base().show_up)

    assert (answers.yes_rate, answers.silent_rate, answers.source) == (0.72, 0.72, "default")
    assert forecast.with_answers(base(), answers).turnout == 72


@pytest.mark.django_db
def test_the_event_forecast_measures_rates_from_a_past_event(organiser):
    now = timezone.now()
    past = EventFactory(starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=30) + timedelta(hours=3))
    past.organisers.add(organiser)
    for i in range(40):
        came = (i < 18) if i < 20 else (i < 28)  # 18 of 20 yes came; 8 of 20 silent came
        rsvp = RSVPFactory(event=past, checked_in_at=now - timedelta(days=30) if came else None)
        Reconfirmation.objects.create(event=past, rsvp=rsvp, asked_at=now - timedelta(days=33),
                                      answer="yes" if i < 20 else "")
    upcoming = EventFactory(capacity=100)
    upcoming.organisers.add(organiser)
    for i in range(10):
        rsvp = RSVPFactory(event=upcoming, created_at=now - timedelta(days=1))
        Reconfirmation.objects.create(event=upcoming, rsvp=rsvp, asked_at=now, answer="yes" if i < 5 else "")
    RSVPFactory(event=upcoming, status=RSVP.Status.CANCELLED)

    result = selectors.event_forecast(upcoming, now=now)

    assert result.answers.source == "history"
    assert (result.answers.yes_rate, result.answers.silent_rate) == (0.9, 0.4)
    others = result.projected - 10
    assert result.turnout == round(5 * 0.9 + 5 * 0.4 + others * result.show_up.rate)
