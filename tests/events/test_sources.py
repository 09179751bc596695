"""Where registrations come from: `?ref=` or `utm_source` on the event link, sanitised and bounded,
stored on the RSVP, and shown on the dashboard per source and per day."""

import pytest

from meetup.events.models import RSVP
from meetup.events.sources import source_clean
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("raw", "clean"), [
    ("Newsletter", "newsletter"), ("  hf_discord  ", "hf_discord"),
    ("<script>alert(1)</script>", "script-alert-1-script"),
    ("a\x00b", "a-b"), ("x" * 500, "x" * 40), ("=HYPERLINK()", "hyperlink"), ("", ""), ("---", ""),
])
def test_sources_are_sanitised_and_bounded(raw, clean):
    assert source_clean(raw) == clean


def test_the_event_page_remembers_the_ref_until_the_rsvp(client, attendee):
    event = EventFactory()
    client.force_login(attendee)

    client.get(f"/events/{event.slug}/?utm_source=Twitter&utm_medium=social")
    client.post(f"/events/{event.slug}/rsvp/", {"accept_code_of_conduct": "on"})

    assert RSVP.objects.get(user=attendee).source == "twitter"


def test_the_api_takes_a_source_in_the_body_or_the_query(api):
    event = EventFactory()
    first, second = UserFactory.create_batch(2)

    api(first).post(f"/api/events/{event.slug}/rsvp", {"accept_code_of_conduct": True, "source": "Meetup.com"})
    api(second).post(f"/api/events/{event.slug}/rsvp?ref=newsletter", {"accept_code_of_conduct": True})

    assert dict(RSVP.objects.values_list("user_id", "source")) == {first.pk: "meetup.com", second.pk: "newsletter"}


def test_the_dashboard_shows_registrations_by_source(api, client, organiser):
    event = EventFactory()
    event.organisers.add(organiser)
    for ref in ("newsletter", "newsletter", "discord", ""):
        api(UserFactory()).post(f"/api/events/{event.slug}/rsvp?ref={ref}", {"accept_code_of_conduct": True})
    client.force_login(organiser)

    html = client.get(f"/events/{event.slug}/dashboard/").content.decode()
    table = html.split('aria-label="Registrations by source"')[1].split("</table>")[0]

    assert table.index("newsletter") < table.index("discord")
    assert "(direct)" in table
