"""Who sees and does what: applicants see their own application (never scores, never other
applications), judges and organisers their own pages, and winners are capped at the number set."""

import pytest

from meetup.lib.errors import Refused
from meetup.program import services
from meetup.program.models import Application
from tests.factories import UserFactory
from tests.program.conftest import make_application, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(call, attendee):
    return make_application(call, attendee, name="Alice's startup")


@pytest.fixture
def theirs(call):
    return make_application(call, UserFactory(), name="Someone else's startup")


def test_an_applicant_gets_404_for_another_application_in_the_api_and_pages(mine, theirs, attendee, api, client):
    caller = api(attendee)
    client.force_login(attendee)

    assert caller.get(f"/api/program/applications/{mine.pk}").status_code == 200
    assert caller.get(f"/api/program/applications/{theirs.pk}").status_code == 404
    assert caller.patch(f"/api/program/applications/{theirs.pk}", {"pitch": "x"}).status_code == 404
    assert caller.post(f"/api/program/applications/{theirs.pk}/withdraw").status_code == 404
    assert caller.get(f"/api/program/applications/{theirs.pk}/scores").status_code == 404
    assert client.get(f"/program/applications/{theirs.pk}/").status_code == 404
    assert [a["id"] for a in caller.get("/api/program/applications").json()] == [mine.pk]


def test_an_applicant_never_sees_scores_of_their_own_application(mine, attendee, judge, api, client):
    score(mine, judge, 9, 9, comment="Judges only")
    client.force_login(attendee)

    assert api(attendee).get(f"/api/program/applications/{mine.pk}/scores").status_code == 403
    page = client.get(f"/program/applications/{mine.pk}/").content.decode()
    assert "Judges only" not in page and "Jude Judge" not in page


def test_a_staged_decision_stays_hidden_from_the_applicant_until_it_is_sent(mine, attendee, after, api):
    services.decision_stage(application=mine, decision="accepted")
    services.shortlist_set(application=mine, shortlisted=True)

    body = api(attendee).get(f"/api/program/applications/{mine.pk}").json()

    assert body["decision"] is None and body["shortlisted"] is None


@pytest.mark.parametrize("persona", ["attendee", "stranger"])
def test_people_off_the_panel_cannot_reach_judge_or_organiser_pages(call, mine, persona, request, client, api):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    assert client.get(f"/program/{call.slug}/judging/").status_code == 403
    assert client.get(f"/program/{call.slug}/manage/").status_code == 403
    assert client.get(f"/program/{call.slug}/edit/").status_code == 403
    assert client.get(f"/program/{call.slug}/assignments/").status_code == 403
    assert client.post(f"/program/{call.slug}/notify/").status_code == 403
    assert client.get("/program/new/").status_code == 403
    assert client.post(f"/program/applications/{mine.pk}/decide/", {"decision": "accepted"}).status_code == 404
    assert client.get(f"/program/applications/{mine.pk}/review/").status_code == 404
    assert api(user).get(f"/api/program/calls/{call.slug}/ranking").status_code == 403
    assert api(user)._send("put", f"/api/program/applications/{mine.pk}/scores",
                           {"scores": [], "comment": ""}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(call, client):
    assert client.get(f"/program/{call.slug}/judging/").status_code == 302
    assert client.get(f"/program/{call.slug}/").status_code == 200


def test_judges_cannot_reach_organiser_pages(call, judge, client, api):
    client.force_login(judge)

    assert client.get(f"/program/{call.slug}/manage/").status_code == 403
    assert api(judge).get(f"/api/program/calls/{call.slug}/ranking").status_code == 403


def test_organisers_of_another_call_cannot_manage_this_one(call, client):
    from meetup.accounts.services import organiser_grant

    other = UserFactory()
    organiser_grant(user=other)
    client.force_login(other)

    assert client.get(f"/program/{call.slug}/manage/").status_code == 403
    assert client.get("/program/new/").status_code == 200


def test_winners_are_capped_at_the_number_set(organiser, after):
    from tests.program.conftest import make_call

    call = make_call(organiser, winners=2)
    first, second, third = (make_application(call, name=n) for n in "ABC")
    services.decision_stage(application=first, decision="accepted")
    services.decision_stage(application=second, decision="accepted")

    with pytest.raises(Refused) as refused:
        services.decision_stage(application=third, decision="accepted")

    assert refused.value.code == "too_many_winners"
    assert Application.objects.filter(decision="accepted").count() == 2
    services.decision_stage(application=second, decision="declined")  # un-accepting frees a place
    services.decision_stage(application=third, decision="accepted")
    assert set(Application.objects.filter(decision="accepted")) == {first, third}


def test_the_manage_page_says_when_the_cap_is_reached(call, organiser, after, client):
    call.winners = 1
    call.save()
    a, b = make_application(call, name="A"), make_application(call, name="B")
    services.decision_stage(application=a, decision="accepted")
    client.force_login(organiser)

    response = client.post(f"/program/applications/{b.pk}/decide/", {"decision": "accepted"}, follow=True)

    assert "at most 1" in response.content.decode()
    b.refresh_from_db()
    assert b.decision == ""


def test_the_number_of_winners_cannot_drop_below_those_accepted(call, after):
    a, b = make_application(call, name="A"), make_application(call, name="B")
    services.decision_stage(application=a, decision="accepted")
    services.decision_stage(application=b, decision="accepted")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.call_update(call=call, winners=1)


def test_decisions_wait_for_the_deadline(call, during):
    application = make_application(call)

    with pytest.raises(Refused) as refused:
        services.decision_stage(application=application, decision="accepted")

    assert refused.value.code == "still_open"


def test_one_application_per_person_per_call(call, attendee, during):
    services.application_create(call=call, user=attendee, startup_name="First")
    other = UserFactory()

    with pytest.raises(Refused):
        services.application_create(call=call, user=attendee, startup_name="Second")
    poaching = services.application_create(call=call, user=other, startup_name="Poaching", team=["alice"])
    invitation = poaching.invitations.get()

    with pytest.raises(Refused) as refused:
        services.team_invitation_respond(invitation=invitation, user=attendee, accept=True)
    assert refused.value.code == "already_applied"
    assert not poaching.members.filter(user=attendee).exists()


def test_a_team_member_may_edit_and_sees_the_application(call, attendee, stranger, during, api):
    application = services.application_create(call=call, user=attendee, startup_name="Duo", team=["sam"])
    services.team_invitation_respond(invitation=application.invitations.get(), user=stranger, accept=True)

    response = api(stranger).patch(f"/api/program/applications/{application.pk}", {"pitch": "Edited by Sam"})

    assert response.status_code == 200
    assert response.json()["team"] == ["alice", "sam"]
