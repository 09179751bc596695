"""Bad input never breaks a page or bends a rule: times outside what can be read back, numbers past
their columns, NUL bytes, huge bodies, unsafe `next=` (holes 2 and 7 of the launch-day review)."""

import json

import pytest
from django.urls import reverse

from meetup.events.models import Booking, Event
from tests.factories import EventFactory, RSVPFactory, UserFactory, VenueFactory

NEW_EVENT = {
    "title": "Open Models Night Berlin", "starts_at": "2030-12-10T18:30:00+01:00",
    "ends_at": "2030-12-10T22:00:00+01:00", "timezone": "Europe/Berlin", "capacity": 120,
    "status": "published",
}
UNREADABLE = ["9999-12-31T20:00:00-12:00", "0001-01-01T01:00:00+14:00", "2030-12-10T18:30:00+19:18",
              "1999-12-31T23:00:00+00:00", "2101-01-01T00:00:00+00:00"]


@pytest.mark.parametrize("when", UNREADABLE)
def test_an_event_time_python_cannot_read_back_is_refused_and_the_site_stays_up(api, client, organiser, when):
    response = api(organiser).post("/api/events", {**NEW_EVENT, "ends_at": when})

    assert response.status_code == 400, response.content
    assert "ends_at" in response.json()["fields"]
    assert not Event.objects.exists()
    assert client.get("/").status_code == 200
    assert client.get("/api/events").status_code == 200


@pytest.mark.parametrize("when", UNREADABLE)
def test_an_event_patch_to_an_unreadable_time_is_refused(api, organiser, when):
    event = EventFactory()
    event.organisers.add(organiser)

    response = api(organiser).patch(f"/api/events/{event.slug}", {"rsvp_closes_at": when})

    assert response.status_code == 400
    assert "rsvp_closes_at" in response.json()["fields"]


@pytest.mark.parametrize("when", UNREADABLE)
def test_a_booking_running_to_an_unreadable_time_is_refused_and_the_venue_page_stays_up(
        api, client, organiser, when):
    venue = VenueFactory()

    response = api(organiser).post(f"/api/venues/{venue.slug}/bookings", {
        "starts_at": "2030-01-01T10:00:00+00:00", "ends_at": when, "confirmed": True})

    assert response.status_code == 400
    assert "ends_at" in response.json()["fields"]
    assert not Booking.objects.exists()
    client.force_login(organiser)
    assert client.get(reverse("venue_detail", args=[venue.slug])).status_code == 200


def test_an_event_form_with_year_9999_gets_a_form_error_not_a_500(client, organiser):
    client.force_login(organiser)

    response = client.post(reverse("event_create"), {
        "title": "Far future", "timezone": "Etc/GMT+12", "capacity": 10, "status": "draft",
        "starts_at": "9999-12-31T20:00", "ends_at": "9999-12-31T23:00"})

    assert response.status_code == 200
    assert "The year must be between 2000 and 2100." in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize("path", [
    "/api/bookings/99999999999999999999/confirm", "/api/collections/9223372036854775808",
    "/api/program/applications/99999999999999999999",
])
def test_ids_past_the_bigint_range_get_a_400_naming_the_field(api, organiser, path):
    method = "post" if path.endswith("confirm") else "get"
    response = getattr(api(organiser), method)(path)

    assert response.status_code in (400, 404), response.content
    assert response["Content-Type"].startswith("application/json")


def test_ids_past_the_bigint_range_in_page_addresses_are_not_server_errors(client, organiser):
    client.force_login(organiser)

    response = client.get("/collections/99999999999999999999/")

    assert response.status_code in (400, 404)


# --- NUL bytes ------------------------------------------------------------------------------------
def test_a_nul_in_a_json_string_gets_a_json_400(api, organiser):
    response = api(organiser).post("/api/events", raw=json.dumps({**NEW_EVENT, "title": "a\x00b"}))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert not Event.objects.exists()


def test_a_nul_in_a_json_key_gets_a_json_400(api, organiser):
    response = api(organiser).post("/api/events", raw=json.dumps({**NEW_EVENT, "ti\x00tle": "x"}))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


@pytest.mark.parametrize("path", ["/projects/?q=%00", "/api/projects?q=a%00b", "/events/a%00b/", "/api/events/a%00"])
def test_a_nul_in_the_address_gets_a_400(db, client, path):
    response = client.get(path)

    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["error"] == "invalid"


def test_a_nul_in_the_rsvp_export_search_is_refused_not_a_truncated_file(client, organiser):
    event = EventFactory()
    event.organisers.add(organiser)
    RSVPFactory(event=event)
    client.force_login(organiser)

    response = client.get(reverse("rsvp_export", args=[event.slug]) + "?q=%00")

    assert response.status_code == 400


def test_a_nul_in_a_form_field_gets_a_400(client, organiser):
    client.force_login(organiser)

    response = client.post(reverse("event_create"), {"title": "a\x00b", "capacity": 1})

    assert response.status_code == 400
    assert not Event.objects.exists()


def test_a_nul_in_a_hub_webhook_payload_gets_a_json_400(db, client):
    response = client.post("/hooks/hub", data=json.dumps({"repo": {"name": "a\x00"}}),
                           content_type="application/json")

    assert response.status_code == 400


# --- Numbers, ids and redirects -----------------------------------------------------------------
@pytest.mark.parametrize("path", ["/projects/?page=99999999999999999999", "/api/projects?page=99999999999999999999"])
def test_a_page_number_past_the_integer_range_is_not_a_500(db, client, path):
    response = client.get(path)

    assert response.status_code in (200, 400)


def test_door_checkin_with_a_non_numeric_rsvp_is_not_a_500(client, organiser):
    event = EventFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)

    response = client.post(reverse("door_checkin", args=[event.slug]), {"rsvp": "abc"})

    assert response.status_code == 200


@pytest.mark.parametrize("target", ["javascript:alert(1)", "https://elsewhere.example/", "//elsewhere.example/"])
def test_the_like_form_never_redirects_off_site(client, attendee, target):
    from meetup.showcase.models import Project
    project = Project.objects.create(title="P", slug="p", description="", created_by=UserFactory())
    client.force_login(attendee)

    response = client.post(reverse("project_like", args=[project.slug]), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == reverse("project_detail", args=[project.slug])


def test_a_3_mb_body_gets_the_json_error_shape(api, organiser):
    response = api(organiser).post("/api/events", raw=json.dumps({**NEW_EVENT, "description": "x" * 3_000_000}))

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
