"""The organiser's dashboard: one page composed from every app's selectors (project level)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from meetup.broadcasts.selectors import broadcast_counts, broadcasts_of
from meetup.events import access, charts, selectors
from meetup.showcase.selectors import open_reports_for_event


@login_required
def dashboard(request, slug: str):
    """One event: live counters, the RSVP curve and forecast, venues, messages and reports."""
    event = access.managed_event(request, slug)
    result = selectors.event_forecast(event)
    target = selectors.event_capacity_target(event)
    suggestions = []
    if result.turnout_high > target:
        suggestions = list(selectors.venues_available(starts_at=event.starts_at, ends_at=event.ends_at,
                                                      min_capacity=result.turnout_high)[:5])
    slots = selectors.checkins_per_slot(event)
    return render(request, "events/dashboard.html", {
        "event": event, "forecast": result, "target": target,
        "chart": charts.rsvp_chart(result, capacity=target, closes_at=event.rsvp_deadline),
        "counts": selectors.checkin_counts(event), "alerts": list(event.forecast_alerts.all()),
        "suggestions": suggestions, "slots": slots, "slot_max": max((n for _, n in slots), default=0),
        "broadcasts": [(b, broadcast_counts(b)) for b in broadcasts_of(event)[:5]],
        "reports": open_reports_for_event(event)[:5],
        "sources": selectors.rsvps_by_source(event),
        "reconfirm": selectors.reconfirmation_counts(event),
        "open_offers": selectors.offers_of(event, status="open").count(),
        "entrances": selectors.entrance_counts(event), "conflicts": selectors.scan_conflicts(event),
    })
