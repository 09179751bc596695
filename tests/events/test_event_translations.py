"""An event's title and description in other languages: set through the form and the API, shown
to people reading in that language, the original to everyone else (and where one is missing)."""

import pytest
from django.utils import translation

from meetup.events.models import Event
from tests.events.test_organiser import NEW_EVENT
from tests.factories import EventFactory

FRENCH = {"fr": {"title": "Soirée des modèles ouverts", "description": "Démos et exposés."}}


def test_the_title_follows_the_readers_language_with_the_original_as_fallback(db):
    event = EventFactory(title="Open Models Night", description="Demos.", translations={"fr": {"title": "Soirée"}})

    with translation.override("fr"):
        assert event.display_title == "Soirée"
        assert event.display_description == "Demos."  # no French description: the original
    with translation.override("fr-ca"):
        assert event.display_title == "Soirée"
    with translation.override("en"):
        assert event.display_title == "Open Models Night"


def test_an_organiser_sets_translations_through_the_api(api, organiser):
    created = api(organiser).post("/api/events", {**NEW_EVENT, "translations": FRENCH})

    assert created.status_code == 201, created.json()
    assert created.json()["translations"] == FRENCH
    slug = created.json()["slug"]
    changed = api(organiser).patch(f"/api/events/{slug}", {"translations": {"fr": {"title": "Soirée"}}})
    assert changed.status_code == 200
    assert Event.objects.get().translations == {"fr": {"title": "Soirée"}}


@pytest.mark.parametrize("translations", [
    {"de": {"title": "Abend"}},  # not a language of the site
    {"fr": {"title": "x" * 201}},  # longer than a title may be
    {"fr": {"venue": "Halle"}},  # not a translated field
    {"fr": {"title": "Soirée\x00"}},
    {"fr": "Soirée"},  # wrong type
    ["fr"],
    {"fr": {"title": 5}},
    None,
])
def test_bad_translations_are_refused_with_a_400(api, organiser, translations):
    event = EventFactory()
    event.organisers.add(organiser)

    response = api(organiser).patch(f"/api/events/{event.slug}", {"translations": translations})

    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid"
    event.refresh_from_db()
    assert event.translations == {}


def test_only_the_events_organisers_change_its_translations(api, organiser, attendee):
    event = EventFactory()
    event.organisers.add(organiser)

    assert api(attendee).patch(f"/api/events/{event.slug}", {"translations": FRENCH}).status_code in (403, 404)
    assert api(None).patch(f"/api/events/{event.slug}", {"translations": FRENCH}).status_code == 401
    event.refresh_from_db()
    assert event.translations == {}


def test_the_event_form_edits_the_french_title_and_description(client, organiser):
    event = EventFactory(title="Open Models Night", timezone="UTC")
    event.organisers.add(organiser)
    client.force_login(organiser)
    form = client.get(f"/events/{event.slug}/edit/").content.decode()
    assert 'name="title_fr"' in form and 'name="description_fr"' in form

    response = client.post(f"/events/{event.slug}/edit/", {
        "title": "Open Models Night", "starts_at": event.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": event.ends_at.strftime("%Y-%m-%dT%H:%M"), "timezone": "UTC", "capacity": "100",
        "status": "published", "title_fr": " Soirée des modèles ouverts ", "description_fr": "",
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.translations == {"fr": {"title": "Soirée des modèles ouverts"}}
    french = client.get(f"/events/{event.slug}/edit/").content.decode()
    assert 'value="Soirée des modèles ouverts"' in french
