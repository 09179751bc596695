"""What a ticket looks like: the QR code (SVG for pages, PNG for email) and the calendar entry."""

import io
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from meetup.events.models import Event


def qr_svg(code: str) -> str:
    return segno.make(code, error="m").svg_inline(scale=6, dark="#1b1f24", light="#ffffff")


def qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def event_url(event: Event) -> str:
    return settings.PUBLIC_BASE_URL + reverse("event_detail", args=[event.slug])


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Open AI Meetups//EN")
    calendar.add("version", "2.0")
    return calendar


def _entry(event: Event) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"{event.slug}@{urlsplit(settings.PUBLIC_BASE_URL).hostname}")
    entry.add("summary", event.title)
    # Local times with TZID (and a VTIMEZONE below) so calendar apps keep the event at the right
    # wall-clock time; SEQUENCE goes up when the time or venue changes, so they replace their copy.
    entry.add("dtstart", event.starts_at.astimezone(event.tz))
    entry.add("dtend", event.ends_at.astimezone(event.tz))
    entry.add("dtstamp", event.updated_at)
    entry.add("sequence", event.ical_sequence)
    entry.add("url", event_url(event))
    entry.add("description", f"{event_url(event)}\n\n{event.description}")
    if event.venue:
        entry.add("location", f"{event.venue.name}, {event.venue.address}")
    if event.status == Event.Status.CANCELLED:
        entry.add("status", "CANCELLED")
    return entry


def events_ics(events, *, name: str = "") -> bytes:
    """A calendar of several events (a subscribable feed), with the time zones they use."""
    calendar = _calendar()
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_entry(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_ics(event: Event) -> bytes:
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_entry(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_feed_url(feed) -> str:
    return settings.PUBLIC_BASE_URL + reverse("calendar_feed", args=[feed.token])
