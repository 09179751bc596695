"""Trending: what people are liking now, here and on the Hub.

score = Σ over platform likes of 0.5^(age / HALF_LIFE)      (a like counts half after two days)
      + HUB_WEIGHT × ln(1 + Hub likes gained in the last 7 days, over the project's linked repos)

The Hub term uses the 7-day change from the daily snapshots, not the total, so a famous base model
does not make every project built on it trend forever; the logarithm keeps a viral model from
drowning the platform's own likes.
"""

import math
from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Max, Min

from hubsync.models import LikeSnapshot
from meetup.showcase.models import Like, ProjectLink

HALF_LIFE = timedelta(hours=48)
WINDOW = timedelta(days=30)  # older likes count less than 1/32'000 of a fresh one
HUB_WEIGHT = 1.0
HUB_DAYS = 7


def platform_scores(now: datetime) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    half_life = HALF_LIFE.total_seconds()
    for project_id, at in Like.objects.filter(created_at__gte=now - WINDOW).values_list("project_id", "created_at"):
        age = max(0.0, (now - at).total_seconds())
        scores[project_id] += 0.5 ** (age / half_life)
    return scores


def hub_gains(now: datetime) -> dict[int, int]:
    """Hub likes each repository gained over the last HUB_DAYS days (from its earliest snapshot in
    the window to its latest)."""
    today = now.date()
    window = (LikeSnapshot.objects.filter(day__gte=today - timedelta(days=HUB_DAYS), day__lte=today)
              .values("hub_model").annotate(first=Min("day"), last=Max("day")))
    firsts = {(row["hub_model"], row["first"]) for row in window}
    lasts = {(row["hub_model"], row["last"]) for row in window}
    wanted = firsts | lasts
    likes = {}
    days = {day for _, day in wanted}
    for hub_model, day, count in LikeSnapshot.objects.filter(day__in=days).values_list("hub_model", "day", "likes"):
        if (hub_model, day) in wanted:
            likes[(hub_model, day)] = count
    gains = {}
    for row in window:
        pk = row["hub_model"]
        gains[pk] = max(0, likes[(pk, row["last"])] - likes[(pk, row["first"])])
    return gains


def scores(now: datetime) -> dict[int, float]:
    result = dict(platform_scores(now))
    gains = hub_gains(now)
    per_project: dict[int, int] = defaultdict(int)
    links = ProjectLink.objects.filter(status=ProjectLink.Status.LINKED, hub_model__in=list(gains))
    for project_id, hub_model_id in links.values_list("project_id", "hub_model_id"):
        per_project[project_id] += gains.get(hub_model_id, 0)
    for project_id, gain in per_project.items():
        if gain:
            result[project_id] = result.get(project_id, 0.0) + HUB_WEIGHT * math.log1p(gain)
    return result
