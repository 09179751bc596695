"""The admin cannot put people on an event's team or show other organisers' drafts (hole 5)."""

from django.forms.models import model_to_dict

from meetup.events.models import Event
from tests.factories import EventFactory, RSVPFactory


def _change_form_data(event) -> dict:
    data = {k: v for k, v in model_to_dict(event).items() if v is not None and k not in ("organisers", "door_staff")}
    for name in ("starts_at", "ends_at"):
        when = getattr(event, name)
        data.update({f"{name}_0": when.strftime("%Y-%m-%d"), f"{name}_1": when.strftime("%H:%M:%S")})
    for prefix in ("bookings", "invitations"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def test_an_organiser_cannot_add_door_staff_or_co_organisers_through_the_admin_form(client, night, people):
    stranger = people["attendee"]
    client.force_login(people["organiser"])
    data = {**_change_form_data(night), "organisers": [people["organiser"].pk, stranger.pk],
            "door_staff": [stranger.pk]}

    page = client.get(f"/admin/events/event/{night.pk}/change/").content.decode()
    client.post(f"/admin/events/event/{night.pk}/change/", data)

    assert stranger.username not in page  # no widget listing every account
    night.refresh_from_db()
    assert not night.organisers.filter(pk=stranger.pk).exists()
    assert not night.door_staff.filter(pk=stranger.pk).exists()


def test_the_by_event_filter_never_lists_other_organisers_draft_events(client, night, people):
    draft = EventFactory(title="Secret Draft Launch", status=Event.Status.DRAFT)
    draft.organisers.add(people["other_organiser"])
    RSVPFactory(event=draft)
    client.force_login(people["organiser"])

    page = client.get("/admin/events/rsvp/").content.decode()

    assert "Secret Draft Launch" not in page
