"""The surge's reads from the cache (events/readcache.py): the same bytes as without it, no query
on a hit, counts at most READ_CACHE_SECONDS old, edits at once, and nothing personal shared."""

import re
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from meetup.events import capacity, readcache, services
from meetup.events.models import Event
from tests.factories import EventFactory, RSVPFactory, VenueFactory, going


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.READ_CACHE_SECONDS = 30  # long enough that only a forget() can end an entry in a test


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_the_cached_api_read_is_byte_for_byte_the_uncached_one(api, settings, db):
    event = EventFactory(venue=VenueFactory(name="Big Hall"), translations={"fr": {"title": "Soirée"}},
                         step_free_access=True, hearing_loop=False, rsvp_opens_at=timezone.now() - timedelta(days=1),
                         accessibility_notes="Lift at the back")
    going(event, 2)
    settings.READ_CACHE_SECONDS = 0
    uncached = api(None).get(f"/api/events/{event.slug}")
    settings.READ_CACHE_SECONDS = 30

    first, second = api(None).get(f"/api/events/{event.slug}"), api(None).get(f"/api/events/{event.slug}")

    assert uncached.status_code == first.status_code == second.status_code == 200
    assert first.content == second.content == uncached.content
    assert first["Content-Type"] == uncached["Content-Type"] == "application/json; charset=utf-8"
    assert uncached.json()["going_count"] == 2 and uncached.json()["venue"]["name"] == "Big Hall"


def test_a_cached_read_costs_no_query_for_anyone(api, client, attendee, django_assert_num_queries):
    event = EventFactory()
    with_token, without = api(attendee), api(None)
    with_token.get(f"/api/events/{event.slug}")
    client.get(f"/events/{event.slug}/")
    client.get(f"/events/{event.slug}/counts/")

    with django_assert_num_queries(0):  # not even the caller's token
        assert with_token.get(f"/api/events/{event.slug}").json()["slug"] == event.slug
        assert without.get(f"/api/events/{event.slug}").status_code == 200
        assert client.get(f"/events/{event.slug}/").status_code == 200
        assert client.get(f"/events/{event.slug}/counts/").status_code == 200


def test_counts_are_at_most_read_cache_seconds_old(api, client, settings, db):
    settings.READ_CACHE_SECONDS = 1
    event = EventFactory(capacity=50)
    assert api(None).get(f"/api/events/{event.slug}").json()["going_count"] == 0
    assert "<strong>0</strong> of 50" in client.get(f"/events/{event.slug}/counts/").content.decode()

    going(event, 3)
    assert api(None).get(f"/api/events/{event.slug}").json()["going_count"] == 0  # the cached answer
    time.sleep(1.1)

    assert api(None).get(f"/api/events/{event.slug}").json()["going_count"] == 3
    assert "<strong>3</strong> of 50" in client.get(f"/events/{event.slug}/counts/").content.decode()


def test_an_edit_shows_at_once(api, client, organiser, attendee, django_capture_on_commit_callbacks):
    venue = VenueFactory(name="Old Hall")
    event = EventFactory(title="Before", capacity=10, venue=venue)
    event.organisers.add(organiser)
    read = lambda: api(attendee).get(f"/api/events/{event.slug}")  # noqa: E731
    assert read().json()["title"] == "Before" and "Before" in client.get(f"/events/{event.slug}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        api(organiser).patch(f"/api/events/{event.slug}", {"title": "After", "capacity": 20})
    assert read().json()["title"] == "After" and read().json()["capacity"] == 20
    assert "After" in client.get(f"/events/{event.slug}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        venue.name = "New Hall"
        venue.save()
    assert read().json()["venue"]["name"] == "New Hall"

    with django_capture_on_commit_callbacks(execute=True):
        venue.delete()
    assert read().json()["venue"] is None
    assert "Venue to be announced" in client.get(f"/events/{event.slug}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        api(organiser).patch(f"/api/events/{event.slug}", {"status": "draft"})
    assert read().status_code == 404
    assert client.get(f"/events/{event.slug}/").status_code == 404
    assert client.get(f"/events/{event.slug}/counts/").status_code == 404


def test_a_capacity_change_and_a_venue_move_show_at_once(api, organiser, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=10, venue=VenueFactory(name="Small Room"))
    event.organisers.add(organiser)
    assert api(None).get(f"/api/events/{event.slug}").json()["capacity"] == 10

    with django_capture_on_commit_callbacks(execute=True):
        services.capacity_change(event=event, capacity=15, actor=organiser)
    assert api(None).get(f"/api/events/{event.slug}").json()["capacity"] == 15

    with django_capture_on_commit_callbacks(execute=True):
        services.venue_move(event=event, venue=VenueFactory(name="Big Hall", capacity_standing=300),
                            created_by=organiser)
    moved = api(None).get(f"/api/events/{event.slug}").json()
    assert moved["venue"]["name"] == "Big Hall" and moved["capacity"] == 300


def test_drafts_are_never_cached(api, client, organiser, stranger):
    event = EventFactory(status=Event.Status.DRAFT, title="Secret plans")
    event.organisers.add(organiser)

    assert api(organiser).get(f"/api/events/{event.slug}").json()["title"] == "Secret plans"
    client.force_login(organiser)
    assert client.get(f"/events/{event.slug}/counts/").status_code == 200

    assert all(readcache.get(kind, event.slug, language) is None
               for kind in readcache.KINDS for language in ("", "en", "fr"))
    assert api(stranger).get(f"/api/events/{event.slug}").status_code == 404
    assert Client().get(f"/api/events/{event.slug}").status_code == 404
    assert Client().get(f"/events/{event.slug}/").status_code == 404


def test_each_cookieless_visitor_gets_a_token_of_their_own_and_the_forms_work(db):
    event = EventFactory()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    pages = [visitor.get(f"/events/{event.slug}/") for visitor in (first, second)]

    stored = readcache.get("page", event.slug, "en")
    assert stored is not None and str(readcache.CSRF_PLACEHOLDER).encode() in stored
    tokens = [_token(page.content.decode()) for page in pages]
    assert tokens[0] != tokens[1]
    assert all(str(readcache.CSRF_PLACEHOLDER) not in page.content.decode() for page in pages)
    assert all("csrftoken" in page.cookies for page in pages)
    for visitor, token in zip((first, second), tokens, strict=True):  # the language switcher posts
        answer = visitor.post("/i18n/setlang/", {"language": "fr", "next": "/", "csrfmiddlewaretoken": token})
        assert answer.status_code == 302
    assert first.post("/i18n/setlang/", {"language": "fr", "csrfmiddlewaretoken": "forged"}).status_code == 403


def test_signed_in_visitors_and_links_with_a_query_get_their_own_page(client, attendee):
    event = EventFactory()
    RSVPFactory(event=event, user=attendee)
    capacity.recount(event)
    assert "Sign in to RSVP" in Client().get(f"/events/{event.slug}/").content.decode()  # now stored

    client.force_login(attendee)
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "Show my ticket" in page and "Sign in to RSVP" not in page

    visitor = Client()
    visitor.get(f"/events/{event.slug}/", {"ref": "newsletter"})
    assert visitor.session[f"ref:{event.pk}"] == "newsletter"


def test_each_language_is_stored_apart(db):
    event = EventFactory(title="Open Night", translations={"fr": {"title": "Soirée ouverte"}})

    french = Client(headers={"accept-language": "fr"}).get(f"/events/{event.slug}/").content.decode()
    english = Client(headers={"accept-language": "en"}).get(f"/events/{event.slug}/").content.decode()
    french_again = Client(headers={"accept-language": "fr"}).get(f"/events/{event.slug}/").content.decode()

    assert "Soirée ouverte" in french and "Soirée ouverte" in french_again and 'lang="fr"' in french_again
    assert "Open Night" in english and "Soirée ouverte" not in english


def test_read_cache_seconds_zero_turns_it_off(api, settings, db, django_assert_num_queries):
    settings.READ_CACHE_SECONDS = 0
    event = EventFactory()
    api(None).get(f"/api/events/{event.slug}")

    with django_assert_num_queries(1):
        api(None).get(f"/api/events/{event.slug}")
    assert cache.get(f"read:api:{event.slug}:") is None


def test_the_written_out_event_statement_can_build_the_venue_without_converters(db):
    """selectors.event_visible_to builds the venue from raw columns: that holds while no venue field
    needs a converter from the database (a date, JSON or boolean field on SQLite would)."""
    from django.db import connection

    from meetup.events.models import Venue

    for field in Venue._meta.concrete_fields:
        column = field.get_col(Venue._meta.db_table)
        assert not field.get_db_converters(connection) + connection.ops.get_db_converters(column), field.name


def test_the_written_out_event_statement_loads_what_the_orm_would(api, organiser, db):
    from meetup.events import selectors

    venue = VenueFactory(name="Hall", accessibility="Lift", capacity_seated=80)
    event = EventFactory(venue=venue, translations={"fr": {"title": "Soirée"}}, quiet_room=True)
    event.organisers.add(organiser)
    going(event, 2)

    loaded = selectors.event_visible_to(organiser, event.slug)
    fresh = Event.objects.select_related("venue").get(pk=event.pk)

    for field in Event._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(fresh, field.attname), field.name
    for field in type(venue)._meta.concrete_fields:
        assert getattr(loaded.venue, field.attname) == getattr(fresh.venue, field.attname), field.name
    assert (loaded.going_count, loaded.waitlist_count, loaded.caller_organises) == (2, 0, True)
