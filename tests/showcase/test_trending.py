from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from hubsync.models import LikeSnapshot
from meetup.showcase import services
from meetup.showcase.models import Like, Project
from tests.factories import UserFactory
from tests.showcase.factories import HubModelFactory, LinkFactory, ProjectFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def likes(project, n: int, ago: timedelta):
    for user in UserFactory.create_batch(n):
        like = Like.objects.create(project=project, user=user)
        Like.objects.filter(pk=like.pk).update(created_at=NOW - ago)


def hub_likes(project, *, week_ago: int, today: int):
    link = LinkFactory(project=project, hub_model=HubModelFactory(likes=today))
    LikeSnapshot.objects.create(hub_model=link.hub_model, day=date(2026, 11, 15), likes=week_ago)
    LikeSnapshot.objects.create(hub_model=link.hub_model, day=date(2026, 11, 22), likes=today)


def test_trending_weighs_fresh_likes_and_the_weeks_hub_gain_not_totals():
    old_buzz = ProjectFactory(title="Liked last week")
    likes(old_buzz, 6, timedelta(days=6))  # 6 × 0.125 = 0.75
    fresh = ProjectFactory(title="Liked this morning")
    likes(fresh, 2, timedelta(hours=2))  # ≈ 1.94
    rising = ProjectFactory(title="Model took off on the Hub")
    hub_likes(rising, week_ago=100, today=600)  # ln(501) ≈ 6.2
    famous = ProjectFactory(title="Built on a famous model")
    hub_likes(famous, week_ago=50_000, today=50_000)  # no gain: 0
    ProjectFactory(title="Quiet")

    with time_machine.travel(NOW, tick=False):
        services.trending_recompute()

    order = list(Project.objects.order_by("-trending_score", "id").values_list("title", flat=True))
    assert order == ["Model took off on the Hub", "Liked this morning", "Liked last week",
                     "Built on a famous model", "Quiet"]


def test_a_like_counts_half_after_the_half_life():
    project = ProjectFactory()
    likes(project, 1, timedelta(hours=48))

    with time_machine.travel(NOW, tick=False):
        services.trending_recompute()

    assert Project.objects.get().trending_score == pytest.approx(0.5)


def test_scores_fall_to_zero_once_likes_leave_the_window():
    project = ProjectFactory()
    likes(project, 3, timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        services.trending_recompute()

    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        services.trending_recompute()

    assert Project.objects.get().trending_score == 0
