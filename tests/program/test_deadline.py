"""Applications change until the deadline, to the second: at `closes_at` exactly the call is
closed, in the service, the API and the pages, and nothing is saved."""

from datetime import timedelta

import pytest
import time_machine

from meetup.lib.errors import Refused
from meetup.program import services
from meetup.program.models import Application
from tests.program.conftest import CLOSES, OPENS, make_application

pytestmark = pytest.mark.django_db

ONE_SECOND = timedelta(seconds=1)


@pytest.fixture
def draft(call, attendee):
    return make_application(call, attendee, name="Tiny Models Inc", status=Application.Status.DRAFT)


def test_an_edit_one_second_before_the_deadline_is_saved(draft, attendee):
    with time_machine.travel(CLOSES - ONE_SECOND, tick=False):
        services.application_update(application=draft, user=attendee, startup_name="Tinier Models Inc")

    draft.refresh_from_db()
    assert draft.startup_name == "Tinier Models Inc"


@pytest.mark.parametrize("moment", [CLOSES, CLOSES + timedelta(microseconds=1), CLOSES + timedelta(days=2)],
                         ids=["at-the-deadline", "just-after", "days-after"])
def test_an_edit_at_or_after_the_deadline_is_refused_and_nothing_is_saved(draft, attendee, moment):
    with time_machine.travel(moment, tick=False), pytest.raises(Refused) as refused:
        services.application_update(application=draft, user=attendee, startup_name="Too Late Inc", submit=True)

    assert refused.value.code == "closed"
    draft.refresh_from_db()
    assert (draft.startup_name, draft.status) == ("Tiny Models Inc", Application.Status.DRAFT)


def test_submitting_and_withdrawing_stop_at_the_deadline(call, attendee, stranger):
    submitted = make_application(call, attendee, status=Application.Status.SUBMITTED)
    draft = make_application(call, stranger, status=Application.Status.DRAFT)

    with time_machine.travel(CLOSES, tick=False):
        with pytest.raises(Refused):
            services.application_withdraw(application=submitted, user=attendee)
        with pytest.raises(Refused):
            services.application_submit(application=draft, user=stranger)

    assert Application.objects.get(pk=submitted.pk).status == Application.Status.SUBMITTED
    assert Application.objects.get(pk=draft.pk).status == Application.Status.DRAFT


def test_a_new_application_at_the_deadline_is_refused(call, attendee):
    with time_machine.travel(CLOSES, tick=False), pytest.raises(Refused):
        services.application_create(call=call, user=attendee, startup_name="Late Inc")

    assert not Application.objects.exists()


def test_nothing_is_accepted_before_the_call_opens(call, attendee):
    with time_machine.travel(OPENS - ONE_SECOND, tick=False), pytest.raises(Refused) as refused:
        services.application_create(call=call, user=attendee, startup_name="Early Inc")

    assert refused.value.code == "not_open"


def test_the_api_saves_a_second_before_and_refuses_at_the_deadline(draft, attendee, api):
    caller = api(attendee)
    with time_machine.travel(CLOSES - ONE_SECOND, tick=False):
        ok = caller.patch(f"/api/program/applications/{draft.pk}", {"pitch": "Just in time."})
    with time_machine.travel(CLOSES, tick=False):
        late = caller.patch(f"/api/program/applications/{draft.pk}", {"pitch": "Too late."})
        late_submit = caller.post(f"/api/program/applications/{draft.pk}/submit")

    assert ok.status_code == 200 and ok.json()["pitch"] == "Just in time."
    assert late.status_code == 409 and late.json()["error"] == "closed"
    assert late_submit.status_code == 409
    draft.refresh_from_db()
    assert (draft.pitch, draft.status) == ("Just in time.", Application.Status.DRAFT)


def test_the_application_page_refuses_at_the_deadline(draft, attendee, client):
    client.force_login(attendee)
    form = {"startup_name": "Renamed Inc", "pitch": "p", "action": "save"}
    with time_machine.travel(CLOSES - ONE_SECOND, tick=False):
        ok = client.post(f"/program/{draft.call.slug}/apply/", form)
    with time_machine.travel(CLOSES, tick=False):
        late = client.post(f"/program/{draft.call.slug}/apply/", {**form, "startup_name": "Late Inc"})

    assert ok.status_code == 302
    assert late.status_code == 400
    assert "closed" in late.content.decode()
    draft.refresh_from_db()
    assert draft.startup_name == "Renamed Inc"


def test_the_deadline_is_shown_in_the_calls_time_zone(call, client):
    page = client.get(f"/program/{call.slug}/").content.decode()

    assert "Tue 31 Mar 2026 18:00" in page and "Europe/Paris" in page
