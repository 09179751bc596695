"""Events say how accessible they are: step-free access, a hearing loop, captions, a quiet room and
notes, each known or not yet, shown on the event page and editable by its organisers."""

from meetup.events.models import Event
from tests.events.test_organiser import NEW_EVENT
from tests.factories import EventFactory

ACCESS = {"step_free_access": True, "hearing_loop": False, "captions": True, "quiet_room": None,
          "accessibility_notes": "Ramp at the side door; ask Sam at the desk."}


def test_an_organiser_creates_an_event_with_access_information(api, organiser):
    response = api(organiser).post("/api/events", {**NEW_EVENT, **ACCESS})

    assert response.status_code == 201, response.content
    body = response.json()
    assert {name: body[name] for name in ACCESS} == ACCESS


def test_access_information_changes_through_the_api_and_unknown_stays_unknown(api, organiser):
    event = EventFactory()
    event.organisers.add(organiser)

    response = api(organiser).patch(f"/api/events/{event.slug}", {"hearing_loop": True, "captions": None})

    assert response.status_code == 200
    event.refresh_from_db()
    assert event.hearing_loop is True and event.captions is None and event.step_free_access is None


def test_bad_access_values_are_refused(api, organiser):
    event = EventFactory()
    event.organisers.add(organiser)
    caller = api(organiser)

    for change in ({"hearing_loop": "yes"}, {"captions": 1}, {"accessibility_notes": None},
                   {"accessibility_notes": "x" * 2001}):
        assert caller.patch(f"/api/events/{event.slug}", change).status_code == 400


def test_only_its_organisers_change_access_information(api, attendee):
    event = EventFactory()

    assert api(attendee).patch(f"/api/events/{event.slug}", {"hearing_loop": True}).status_code in (403, 404)
    assert api(None).patch(f"/api/events/{event.slug}", {"hearing_loop": True}).status_code == 401


def test_the_event_page_shows_what_is_known(client, db):
    event = EventFactory(**ACCESS)

    html = client.get(f"/events/{event.slug}/").content.decode()

    assert "Step-free access: yes" in html and "Hearing loop: no" in html and "Live captions: yes" in html
    assert "Quiet room" not in html  # not known yet: not claimed either way
    assert "Ramp at the side door" in html


def test_the_event_page_says_nothing_when_nothing_is_known(client, db):
    event = EventFactory()

    assert ">Access<" not in client.get(f"/events/{event.slug}/").content.decode()


def test_the_event_form_edits_access_information(client, organiser):
    event = EventFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)
    form = client.get(f"/events/{event.slug}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "slug"}
    data.update({"starts_at": "2030-05-01T18:00", "ends_at": "2030-05-01T21:00", "venue": "",
                 "step_free_access": "true", "quiet_room": "false", "accessibility_notes": "Seats at the front."})
    for name in ("rsvp_opens_at", "rsvp_closes_at"):
        data.pop(name, None)

    response = client.post(f"/events/{event.slug}/edit/", data)

    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(pk=event.pk)
    assert event.step_free_access is True and event.quiet_room is False and event.hearing_loop is None
    assert event.accessibility_notes == "Seats at the front."
