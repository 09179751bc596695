import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetup.events import capacity
from meetup.events.models import RSVP, Event
from tests.factories import EventFactory, RSVPFactory, UserFactory, VenueFactory

NEW_EVENT = {
    "title": "Open Models Night Berlin", "starts_at": "2026-12-10T18:30:00+01:00",
    "ends_at": "2026-12-10T22:00:00+01:00", "timezone": "Europe/Berlin", "capacity": 120,
}


def test_an_organiser_creates_a_draft_event_through_the_api(api, organiser):
    response = api(organiser).post("/api/events", {**NEW_EVENT, "description": "Hi <script>x</script>"})

    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["status"], body["capacity"], body["going_count"]) == (
        "open-models-night-berlin", "draft", 120, 0)
    event = Event.objects.get()
    assert list(event.organisers.all()) == [organiser]
    assert sum(event.shards.values_list("seats", flat=True)) == 120


def test_attendees_cannot_create_events(api, attendee):
    response = api(attendee).post("/api/events", NEW_EVENT)

    assert response.status_code == 403
    assert not Event.objects.exists()


@pytest.mark.parametrize("change, field", [
    ({"ends_at": "2026-12-10T17:00:00+01:00"}, "ends_at"),
    ({"starts_at": "2026-12-10T18:30:00"}, "starts_at"),  # no offset
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"capacity": -1}, "capacity"),
    ({"capacity": "ten"}, "capacity"),
    ({"status": "cancelled"}, "status"),
    ({"venue": "nowhere"}, "venue"),
    ({"slug": "Not A Slug!"}, "slug"),
    ({"code_of_conduct_url": "javascript:alert(1)"}, "code_of_conduct_url"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_event_input_gets_a_400_naming_the_field(api, organiser, change, field):
    response = api(organiser).post("/api/events", {**NEW_EVENT, **change})

    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Event.objects.exists()


def test_a_taken_slug_gets_a_400(api, organiser):
    EventFactory(slug="taken")

    response = api(organiser).post("/api/events", {**NEW_EVENT, "slug": "taken"})

    assert (response.status_code, list(response.json()["fields"])) == (400, ["slug"])


def test_patch_changes_capacity_status_and_venue(api, organiser):
    event = EventFactory(capacity=1, status="draft")
    event.organisers.add(organiser)
    venue = VenueFactory(slug="big-hall")

    response = api(organiser).patch(f"/api/events/{event.slug}",
                                    {"capacity": 500, "status": "published", "venue": "big-hall"})

    assert response.status_code == 200
    assert (response.json()["capacity"], response.json()["status"], response.json()["venue"]["slug"]) == (
        500, "published", "big-hall")
    assert Event.objects.get(pk=event.pk).venue == venue


def test_patch_by_an_organiser_of_another_event_is_refused(api, organiser):
    event = EventFactory()

    response = api(organiser).patch(f"/api/events/{event.slug}", {"capacity": 1})

    assert response.status_code == 403
    assert Event.objects.get(pk=event.pk).capacity == 100


def test_a_bad_patch_changes_nothing(api, organiser):
    event = EventFactory(title="Before")
    event.organisers.add(organiser)

    response = api(organiser).patch(f"/api/events/{event.slug}", {"title": "After", "ends_at": "yesterday"})

    assert response.status_code == 400
    assert Event.objects.get(pk=event.pk).title == "Before"


def test_the_event_list_hides_other_organisers_drafts(api, organiser, attendee):
    mine = EventFactory(status="draft")
    mine.organisers.add(organiser)
    EventFactory(status="draft")
    public = EventFactory()

    assert [e["slug"] for e in api(attendee).get("/api/events").json()] == [public.slug]
    assert {e["slug"] for e in api(organiser).get("/api/events").json()} == {mine.slug, public.slug}
    assert [e["slug"] for e in api(None).get("/api/events").json()] == [public.slug]


def test_the_rsvp_list_pages_and_filters_with_waitlist_positions(api, organiser):
    event = EventFactory(capacity=2)
    event.organisers.add(organiser)
    for i in range(5):
        RSVPFactory(event=event, status="going" if i < 2 else "waitlisted")

    page = api(organiser).get(f"/api/events/{event.slug}/rsvps?status=waitlisted&page=2&page_size=2").json()

    assert page["count"] == 3
    assert [item["waitlist_position"] for item in page["items"]] == [3]
    everyone = api(organiser).get(f"/api/events/{event.slug}/rsvps").json()["items"]
    assert [i["waitlist_position"] for i in everyone] == [None, None, 1, 2, 3]
    assert set(everyone[0]) == {"id", "user", "status", "source", "answers", "waitlist_position", "created_at",
                                "checked_in_at"}


@pytest.mark.parametrize("query", ["page_size=501", "page=0", "status=maybe", "page=x"])
def test_bad_rsvp_list_queries_get_400(api, organiser, query):
    event = EventFactory()
    event.organisers.add(organiser)

    assert api(organiser).get(f"/api/events/{event.slug}/rsvps?{query}").status_code == 400


def test_attendees_never_see_the_rsvp_list_or_export(api, attendee):
    event = EventFactory()

    assert api(attendee).get(f"/api/events/{event.slug}/rsvps").status_code == 403
    assert api(attendee).get(f"/api/events/{event.slug}/rsvps.csv").status_code == 403


def test_the_csv_export_streams_every_rsvp_and_neutralises_formulas(api, organiser):
    event = EventFactory()
    event.organisers.add(organiser)
    RSVPFactory(event=event, user=UserFactory(display_name="=HYPERLINK(\"http://evil\")"))
    RSVPFactory(event=event, user=UserFactory(display_name="Plain Name"))

    response = api(organiser).get(f"/api/events/{event.slug}/rsvps.csv")

    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["display_name"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "Plain Name"]
    assert rows[0]["email"].endswith("@example.org")


def test_the_organiser_rsvp_page_searches_and_promotes(client, organiser):
    event = EventFactory(capacity=1)
    event.organisers.add(organiser)
    RSVPFactory(event=event, user=UserFactory(display_name="Ada Lovelace"))  # a random name could hold "grace"
    waiting = RSVPFactory(event=event, status="waitlisted", user=UserFactory(display_name="Grace Hopper"))
    capacity.recount(event)
    client.force_login(organiser)

    page = client.get(f"/events/{event.slug}/rsvps/", {"q": "grace"}).content.decode()
    assert "Grace Hopper" in page and "1 RSVPs" in page
    client.post(f"/events/{event.slug}/rsvps/{waiting.pk}/promote/")

    assert RSVP.objects.get(pk=waiting.pk).status == "going"


def test_an_organiser_creates_an_event_from_the_page_in_its_time_zone(client, organiser):
    client.force_login(organiser)

    response = client.post("/events/new/", {
        "title": "Tokyo Open Models", "description": "", "starts_at": "2026-12-12T19:00",
        "ends_at": "2026-12-12T21:00", "timezone": "Asia/Tokyo", "capacity": "80", "status": "published",
    })

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at.isoformat() == "2026-12-12T10:00:00+00:00"


def test_the_event_form_shows_errors_next_to_fields(client, organiser):
    client.force_login(organiser)

    page = client.post("/events/new/", {"title": "", "starts_at": "2026-12-12T19:00", "ends_at": "2026-12-12T18:00",
                                        "timezone": "UTC", "capacity": "10", "status": "draft"}).content.decode()

    assert "This field is required." in page and "The event must end after it starts." in page
    assert not Event.objects.exists()


def test_the_event_calendar_file_has_the_event(client, db):
    event = EventFactory(title="Open Models Night", venue=VenueFactory(name="Big Hall"))

    body = client.get(f"/events/{event.slug}/calendar.ics").content.decode()

    assert "BEGIN:VEVENT" in body and "SUMMARY:Open Models Night" in body and "Big Hall" in body


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/events/{slug}/", "/events/{slug}/rsvps/", "/api/events/{slug}/rsvps",
                                  "/api/events/{slug}", "/"])
def test_query_counts_are_the_same_with_10_and_2000_rsvps(client, organiser, path):
    client.force_login(organiser)
    counts = []
    for n in (10, 2000):
        event = EventFactory(capacity=n // 2)
        event.organisers.add(organiser)
        users = UserFactory._meta.model.objects.bulk_create(
            UserFactory.build(username=f"bulk{n}-{i}") for i in range(n))
        RSVP.objects.bulk_create(
            RSVPFactory.build(event=event, user=u, status="going" if i < n // 2 else "waitlisted")
            for i, u in enumerate(users))
        capacity.recount(event)
        counts.append(_queries(client, path.format(slug=event.slug)))
        Event.objects.filter(pk=event.pk).delete()

    assert counts[0] == counts[1]
