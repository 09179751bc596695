"""Who's going: only people who opted in are listed (publicly, or to other attendees), with a name
and Hub handle, never an email, phone or username; organisers can turn the list off."""

import re

import pytest

from meetup.events.models import RSVP
from tests.factories import EventFactory, RSVPFactory, UserFactory

pytestmark = pytest.mark.django_db


def person(name, **kwargs):
    return UserFactory(display_name=name, email=f"{name.lower()}-secret@example.org", **kwargs)


@pytest.fixture
def event(organiser, attendee):
    event = EventFactory(capacity=50)
    event.organisers.add(organiser)
    RSVPFactory(event=event, user=person("Publica", hub_username="publica-hf", phone="+33612345678"),
                visibility="public")
    RSVPFactory(event=event, user=person("Insider"), visibility="attendees")
    RSVPFactory(event=event, user=person("Hidden", phone="+33612345679"))  # the default: not listed
    RSVPFactory(event=event, user=person("Waiting"), status="waitlisted", visibility="public")
    RSVPFactory(event=event, user=person("Gone"), status="cancelled", visibility="public")
    RSVPFactory(event=event, user=attendee, visibility="hidden")
    return event


def names(api, user, event):
    response = api(user).get(f"/api/events/{event.slug}/attendees")
    assert response.status_code == 200
    return response


def assert_no_contact_data(text: str):
    for secret in ("secret@example.org", "+3361234567", "alice@example.org", "@example.org"):
        assert secret not in text
    assert not re.search(r"\buser\d+\b", text)  # the factory's usernames


def test_anonymous_visitors_see_only_those_listed_publicly(api, client, event):
    response = names(api, None, event)
    page = client.get(f"/events/{event.slug}/").content.decode()

    assert response.json() == {"count": 1, "items": [{"display_name": "Publica", "hub_username": "publica-hf"}]}
    assert_no_contact_data(response.content.decode())
    assert "Publica" in page and "publica-hf" in page
    for name in ("Insider", "Hidden", "Waiting", "Gone"):
        assert name not in page
    assert "secret@example.org" not in page


def test_attendees_going_also_see_those_listed_to_attendees(api, client, attendee, event):
    response = names(api, attendee, event)
    client.force_login(attendee)
    page = client.get(f"/events/{event.slug}/").content.decode()

    assert [i["display_name"] for i in response.json()["items"]] == ["Publica", "Insider"]
    assert_no_contact_data(response.content.decode())
    assert "Insider" in page and "Hidden" not in page and "secret@example.org" not in page


def test_people_not_going_do_not_see_those_listed_to_attendees(api, stranger, event):
    waiting = RSVP.objects.get(user__display_name="Waiting").user

    assert [i["display_name"] for i in names(api, stranger, event).json()["items"]] == ["Publica"]
    assert [i["display_name"] for i in names(api, waiting, event).json()["items"]] == ["Publica"]


def test_organisers_see_the_same_opted_in_names_and_no_contact_data(api, client, organiser, event):
    response = names(api, organiser, event)
    client.force_login(organiser)
    section = client.get(f"/events/{event.slug}/").content.decode().split('id="whos-going"')[1].split("</section>")[0]

    assert [i["display_name"] for i in response.json()["items"]] == ["Publica", "Insider"]
    assert_no_contact_data(response.content.decode())
    assert "Hidden" not in section and "secret" not in section and "+33" not in section


def test_the_username_is_never_shown_even_without_a_display_name(api, event):
    RSVPFactory(event=event, user=UserFactory(username="bob.smith", display_name="", first_name=""),
                visibility="public")

    items = names(api, None, event).json()["items"]

    assert "bob.smith" not in str(items) and {"display_name": "An attendee", "hub_username": None} in items


def test_organisers_can_turn_the_list_off(api, client, organiser, event):
    api(organiser).patch(f"/api/events/{event.slug}", {"show_attendees": False})

    assert api(None).get(f"/api/events/{event.slug}/attendees").status_code == 404
    assert "Publica" not in client.get(f"/events/{event.slug}/").content.decode()


def test_attendees_choose_their_visibility_and_the_default_is_not_listed(api, event):
    newcomer = person("Newcomer")

    api(newcomer).post(f"/api/events/{event.slug}/rsvp", {"accept_code_of_conduct": True})
    before = [i["display_name"] for i in names(api, None, event).json()["items"]]
    changed = api(newcomer).patch(f"/api/events/{event.slug}/rsvp", {"visibility": "public"})
    bad = api(newcomer).patch(f"/api/events/{event.slug}/rsvp", {"visibility": "everyone"})

    assert "Newcomer" not in before
    assert changed.json()["visibility"] == "public"
    assert bad.status_code == 400
    assert "Newcomer" in [i["display_name"] for i in names(api, None, event).json()["items"]]


def test_drafts_list_nobody_to_strangers(api, organiser):
    draft = EventFactory(status="draft")
    draft.organisers.add(organiser)

    assert api(None).get(f"/api/events/{draft.slug}/attendees").status_code == 404
