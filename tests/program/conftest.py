"""Program personas and helpers: a call whose deadline is a fixed instant, a panel of two judges,
and applications made directly (tests about the deadline go through the services)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from meetup.program import services
from meetup.program.models import Application, Review, Score, TeamMember
from tests.factories import UserFactory

OPENS = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # 18:00 in Paris (summer time)
DURING = CLOSES - timedelta(days=3)
AFTER = CLOSES + timedelta(days=1)


@pytest.fixture
def during():
    with time_machine.travel(DURING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def after():
    with time_machine.travel(AFTER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def judge(db):
    return UserFactory(username="jude", email="jude@example.org", display_name="Jude Judge")


@pytest.fixture
def judge2(db):
    return UserFactory(username="june", email="june@example.org", display_name="June Judge")


def make_call(organiser, *, judges=(), winners=5, criteria=(("Team", 2), ("Market", 1)),
              questions=("Why now?",), **extra):
    return services.call_create(
        organiser=organiser, title=extra.pop("title", "Open Models Accelerator"), opens_at=OPENS, closes_at=CLOSES,
        timezone="Europe/Paris", description=extra.pop("description", "Five startups, **twelve weeks**."),
        winners=winners, questions=questions, criteria=criteria, judges=[j.username for j in judges], **extra)


@pytest.fixture
def call(organiser, judge, judge2):
    return make_call(organiser, judges=[judge, judge2])


def make_application(call, *members, name=None, status=Application.Status.SUBMITTED, pitch="We fine-tune.",
                     answers=None):
    """An application as the services would leave it, without going through the deadline."""
    members = members or (UserFactory(),)
    application = Application.objects.create(
        call=call, created_by=members[0], startup_name=name or f"Startup of {members[0].username}", pitch=pitch,
        answers=answers if answers is not None else {str(q.pk): "Because." for q in call.questions.all()},
        status=status, submitted_at=CLOSES - timedelta(days=5) if status == Application.Status.SUBMITTED else None)
    for member in members:
        TeamMember.objects.create(application=application, user=member, call=call)
    return application


def score(application, judge, *values, comment=""):
    """Give `values` in criterion order (a shorter list leaves the last criteria unscored)."""
    review, _ = Review.objects.get_or_create(application=application, judge=judge, defaults={"comment": comment})
    for criterion, value in zip(application.call.criteria.all(), values, strict=False):
        Score.objects.update_or_create(review=review, criterion=criterion, defaults={"value": value})
    return review
