"""The RSVP curve as a small server-rendered SVG: registrations so far, the projection to the
RSVP deadline, and the venue's capacity line."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 240, 36


@dataclass
class Chart:
    width: int
    height: int
    curve: str  # polyline points
    projection: str
    capacity_y: float
    turnout_y: float
    y_max: int
    labels: list[tuple[float, str]]


def rsvp_chart(forecast, *, capacity: int, closes_at) -> Chart:
    start = forecast.curve[0][0]
    span = max((closes_at - start).total_seconds(), 1)
    y_max = max(forecast.projected_high, capacity, forecast.registered, 1) * 1.1

    def x(at) -> float:
        return PAD + (WIDTH - 2 * PAD) * min(1.0, max(0.0, (at - start).total_seconds() / span))

    def y(value) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / y_max

    now, last = forecast.curve[-1]
    ticks = [round(y_max / 1.1 * k / 4) for k in range(5)]
    return Chart(
        width=WIDTH, height=HEIGHT,
        curve=" ".join(f"{x(at):.1f},{y(n):.1f}" for at, n in forecast.curve),
        projection=f"{x(now):.1f},{y(last):.1f} {x(closes_at):.1f},{y(forecast.projected):.1f}",
        capacity_y=round(y(capacity), 1), turnout_y=round(y(forecast.turnout), 1), y_max=round(y_max),
        labels=[(round(y(t), 1), f"{t:,}") for t in ticks],
    )
