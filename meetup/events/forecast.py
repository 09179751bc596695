"""Turnout forecast: will this event outgrow its venue?

Registrations (going plus waitlisted, by arrival) are projected to the RSVP deadline from the recent
growth rate, so a viral post shows up as soon as it bends the curve. Expected turnout is that times
the share of registrants who actually come: the organiser's own past events where check-ins were
recorded, else a documented default. Free meetups lose about 28% of registrants (median over 860+
events; 20-25% at free conferences; some meetups under 50% attendance), hence 0.72 in 0.50-0.80.

Everything here is pure arithmetic on a list of arrival times, so it is tested on fixed series.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

DEFAULT_SHOW_UP = 0.72
DEFAULT_SHOW_UP_RANGE = (0.50, 0.80)
RECENT = timedelta(hours=48)
# With little data a projection is mostly noise: never project more than this many times what is
# already registered, and widen the range instead.
THIN_RSVPS = 30
THIN_GROWTH_CAP = 3.0


@dataclass
class ShowUp:
    rate: float
    low: float
    high: float
    source: str  # "history" or "default"
    events: int = 0


@dataclass
class Forecast:
    registered: int
    projected: int
    projected_low: int
    projected_high: int
    show_up: ShowUp
    turnout: int
    turnout_low: int
    turnout_high: int
    rate_per_day: float
    thin: bool
    curve: list[tuple[datetime, int]] = field(default_factory=list)
    answers: "Answers | None" = None


def show_up_from_history(past: list[tuple[int, int]]) -> ShowUp:
    """Show-up from past events as (going, checked in) pairs; events without check-ins are skipped."""
    usable = [(going, came) for going, came in past if going >= 20 and came > 0]
    if not usable:
        return ShowUp(DEFAULT_SHOW_UP, *DEFAULT_SHOW_UP_RANGE, source="default")
    rates = [came / going for going, came in usable]
    pooled = sum(came for _, came in usable) / sum(going for going, _ in usable)
    return ShowUp(round(pooled, 3), round(min(rates), 3), round(max(rates), 3), source="history",
                  events=len(usable))


def _count_between(times: list[datetime], start: datetime, end: datetime) -> int:
    return sum(1 for t in times if start < t <= end)


def forecast(arrivals: list[datetime], *, now: datetime, opens_at: datetime, closes_at: datetime,
             show_up: ShowUp) -> Forecast:
    """Project registrations to `closes_at` from the arrivals so far and the recent rate."""
    arrivals = sorted(t for t in arrivals if t <= now)
    registered = len(arrivals)
    remaining_days = max(0.0, (closes_at - now).total_seconds() / 86400)
    elapsed = max(now - (arrivals[0] if arrivals else opens_at), timedelta(hours=1))
    window = min(RECENT, elapsed)
    recent = _count_between(arrivals, now - window, now)
    rate = recent / (window.total_seconds() / 86400)
    # The range: the rate over the window before the recent one (slower if accelerating) and the
    # busiest half of the recent window (faster if the surge is still building).
    earlier = _count_between(arrivals, now - 2 * window, now - window) / (window.total_seconds() / 86400)
    half = window / 2
    busiest = max(_count_between(arrivals, now - half, now), _count_between(arrivals, now - window, now - half))
    rate_high = max(rate, busiest / (half.total_seconds() / 86400))
    rate_low = min(rate, earlier) if elapsed > window else rate * 0.5

    projected = registered + rate * remaining_days
    low = registered + rate_low * remaining_days
    high = registered + rate_high * remaining_days
    thin = registered < THIN_RSVPS
    if thin:
        cap = max(registered * THIN_GROWTH_CAP, THIN_RSVPS)
        projected, low, high = min(projected, cap), min(low, cap), max(min(high, cap * 2), registered)
    projected, low, high = round(projected), round(low), round(max(high, projected))

    return Forecast(
        registered=registered, projected=projected, projected_low=round(min(low, projected)), projected_high=high,
        show_up=show_up, turnout=round(projected * show_up.rate), turnout_low=round(low * show_up.low),
        turnout_high=round(high * show_up.high), rate_per_day=round(rate, 1), thin=thin,
        curve=_curve(arrivals, opens_at, now),
    )


def _curve(arrivals: list[datetime], start: datetime, end: datetime, points: int = 48) -> list[tuple[datetime, int]]:
    """Cumulative registrations sampled at `points` even steps (for the chart)."""
    if end <= start:
        return [(end, len(arrivals))]
    step = (end - start) / points
    curve, i = [], 0
    for k in range(points + 1):
        at = start + step * k
        while i < len(arrivals) and arrivals[i] <= at:
            i += 1
        curve.append((at, i))
    return curve


# "Still coming?" answers: the organiser's past events where people answered and check-ins were
# recorded give a show-up rate for those who said yes and for those who stayed silent; with fewer
# than this many of each, both fall back to the general show-up rate.
MIN_ANSWERS = 20


@dataclass
class Answers:
    yes: int
    silent: int
    yes_rate: float
    silent_rate: float
    source: str  # "history" or "default"


def answers_show_up(*, yes: int, silent: int, past_yes: tuple[int, int], past_silent: tuple[int, int],
                    show_up: ShowUp) -> Answers:
    """Rates for this event's yes and silent people from past (asked, came) pairs."""
    (yes_n, yes_came), (silent_n, silent_came) = past_yes, past_silent
    if yes_n >= MIN_ANSWERS and silent_n >= MIN_ANSWERS:
        return Answers(yes, silent, round(yes_came / yes_n, 3), round(silent_came / silent_n, 3), "history")
    return Answers(yes, silent, show_up.rate, show_up.rate, "default")


def with_answers(result: Forecast, answers: Answers) -> Forecast:
    """The turnout with yes and silent people at their own rates, everyone else (not asked yet, or
    still to register) at the general rate; the range moves with it."""
    if not (answers.yes or answers.silent):
        return result
    others = max(0, result.projected - answers.yes - answers.silent)
    turnout = answers.yes * answers.yes_rate + answers.silent * answers.silent_rate + others * result.show_up.rate
    scale = turnout / result.turnout if result.turnout else 1.0
    result.turnout = round(turnout)
    result.turnout_low, result.turnout_high = round(result.turnout_low * scale), round(result.turnout_high * scale)
    result.answers = answers
    return result
