import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetup.events.models import Event
from tests.factories import EventFactory, RSVPFactory, UserFactory, going


def test_home_lists_published_upcoming_events_with_counts(client, db):
    event = EventFactory(title="Open Models Night", capacity=50)
    EventFactory(title="Secret planning", status=Event.Status.DRAFT)
    going(event, 3)

    page = client.get("/").content.decode()

    assert "Open Models Night" in page and "Secret planning" not in page
    assert "<strong>3</strong> going of 50" in page


def test_a_draft_event_is_hidden_from_strangers_but_shown_to_its_organisers(client, organiser, stranger):
    event = EventFactory(status=Event.Status.DRAFT)
    event.organisers.add(organiser)

    client.force_login(stranger)
    assert client.get(f"/events/{event.slug}/").status_code == 404
    client.force_login(organiser)
    assert client.get(f"/events/{event.slug}/").status_code == 200


def test_the_event_page_sanitises_its_markdown_description(client, db):
    event = EventFactory(
        description="**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )

    page = client.get(f"/events/{event.slug}/").content.decode()
    prose = page.split('<div class="prose">', 1)[1].split("</div>", 1)[0]

    assert "<strong>Bold</strong>" in prose
    assert "<script" not in prose and "<img" not in prose and 'href="javascript' not in prose
    assert "&lt;script&gt;" in prose  # shown as text, not run


def test_the_event_page_shows_the_time_in_the_events_zone(client, db):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    starts = datetime(2026, 12, 3, 18, 30, tzinfo=ZoneInfo("Europe/Paris"))
    event = EventFactory(starts_at=starts, timezone="Europe/Paris")

    assert "18:30" in client.get(f"/events/{event.slug}/").content.decode()


def test_the_event_page_shows_the_callers_rsvp(client, attendee):
    rsvp = RSVPFactory(user=attendee, status="waitlisted")
    client.force_login(attendee)

    assert "on the <strong>waitlist, number 1</strong>" in client.get(f"/events/{rsvp.event.slug}/").content.decode()


@pytest.mark.parametrize("path", ["/", "/events/{slug}/"])
def test_page_query_counts_do_not_grow_with_rsvps(client, attendee, path):
    def queries_with(n_rsvps: int) -> int:
        event = EventFactory()
        users = UserFactory.create_batch(n_rsvps)
        for user in users:
            RSVPFactory(event=event, user=user)
        client.force_login(attendee)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path.format(slug=event.slug)).status_code == 200
        Event.objects.all().delete()
        return len(ctx.captured_queries)

    assert queries_with(10) == queries_with(60)
