"""Team membership is an invitation the person accepts (holes 1 and 3): adding a username to a team
never makes them a member, gives them rights, blocks their own application or changes judging."""

import pytest

from meetup.broadcasts.models import Broadcast, Delivery
from meetup.broadcasts.registry import email_builder
from meetup.lib.errors import Refused
from meetup.program import selectors, services
from meetup.program.models import TeamInvitation
from tests.factories import UserFactory
from tests.program.conftest import make_application, score


def test_an_applicant_cannot_remove_a_judge_who_scored_them_by_adding_the_judge_to_the_team(
        call, attendee, judge, judge2, during, api):
    call.anonymised = True
    call.save()
    application = make_application(call, attendee, name="Secret Startup")
    other = make_application(call, name="Other")
    score(application, judge, 2, 2)
    score(application, judge2, 9, 9)
    score(other, judge, 5, 5)
    score(other, judge2, 5, 5)
    before = [(r.application.pk, r.counted) for r in selectors.ranking(call).rows]

    response = api(attendee).patch(f"/api/program/applications/{application.pk}", {"team": [judge.username]})

    assert response.status_code == 400
    assert "team" in response.json()["fields"]
    assert not application.members.filter(user=judge).exists()
    assert [(r.application.pk, r.counted) for r in selectors.ranking(call).rows] == before
    seen = api(judge).get(f"/api/program/applications/{application.pk}").json()
    assert seen["startup_name"] is None and seen["team"] is None


def test_adding_a_username_to_an_application_invites_and_never_adds(call, attendee, during, api):
    invitee = UserFactory(username="invitee")

    response = api(attendee).post(f"/api/program/calls/{call.slug}/applications",
                                  {"startup_name": "Duo", "team": ["invitee"]})

    assert response.status_code == 201
    body = response.json()
    assert body["team"] == [attendee.username] and body["invited"] == ["invitee"]
    application_id = body["id"]
    # No rights, not shown as a member, not blocked from applying on their own.
    assert api(invitee).get(f"/api/program/applications/{application_id}").status_code == 404
    assert api(invitee).patch(f"/api/program/applications/{application_id}", {"pitch": "x"}).status_code == 404
    own = api(invitee).post(f"/api/program/calls/{call.slug}/applications", {"startup_name": "Mine"})
    assert own.status_code == 201


def test_the_invitee_is_told_through_the_outbox_sees_the_invitation_and_accepts(call, attendee, during, api):
    invitee = UserFactory(username="invitee")
    api(attendee).post(f"/api/program/calls/{call.slug}/applications", {"startup_name": "Duo", "team": ["invitee"]})

    delivery = Delivery.objects.get(user=invitee)
    assert delivery.broadcast.kind == Broadcast.Kind.PROGRAM_TEAM
    email = email_builder(Broadcast.Kind.PROGRAM_TEAM)(delivery)
    assert "Duo" in email.subject and email.to == [invitee.email]
    listed = api(invitee).get("/api/program/invitations").json()
    assert [i["startup_name"] for i in listed] == ["Duo"]

    accepted = api(invitee).post(f"/api/program/invitations/{listed[0]['id']}/accept")

    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    application = TeamInvitation.objects.get().application
    assert application.members.filter(user=invitee).exists()
    assert api(invitee).get(f"/api/program/applications/{application.pk}").status_code == 200


def test_a_declined_invitation_leaves_no_trace_on_the_team(call, attendee, during, api):
    invitee = UserFactory(username="invitee")
    api(attendee).post(f"/api/program/calls/{call.slug}/applications", {"startup_name": "Duo", "team": ["invitee"]})
    invitation = TeamInvitation.objects.get()

    assert api(invitee).post(f"/api/program/invitations/{invitation.pk}/decline").status_code == 200
    assert api(invitee).post(f"/api/program/invitations/{invitation.pk}/accept").status_code == 409
    assert not invitation.application.members.filter(user=invitee).exists()


def test_someone_else_cannot_answer_an_invitation(call, attendee, stranger, during, api):
    UserFactory(username="invitee")
    api(attendee).post(f"/api/program/calls/{call.slug}/applications", {"startup_name": "Duo", "team": ["invitee"]})
    invitation = TeamInvitation.objects.get()

    assert api(stranger).post(f"/api/program/invitations/{invitation.pk}/accept").status_code == 404


def test_a_judge_cannot_accept_an_old_invitation_after_becoming_a_judge(call, attendee, during):
    newcomer = UserFactory()
    application = services.application_create(call=call, user=attendee, startup_name="Duo",
                                              team=[newcomer.username])
    call.judges.add(newcomer)

    with pytest.raises(Refused) as refused:
        services.team_invitation_respond(invitation=application.invitations.get(), user=newcomer, accept=True)
    assert refused.value.code == "judge"


def test_an_applicant_cannot_remove_a_judge_from_the_team_to_make_their_scores_count(call, attendee, during, api):
    newcomer = UserFactory()
    application = make_application(call, attendee, newcomer)
    call.judges.add(newcomer)

    response = api(attendee).patch(f"/api/program/applications/{application.pk}", {"team": []})

    assert response.status_code == 400
    assert application.members.filter(user=newcomer).exists()
