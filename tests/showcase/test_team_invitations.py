"""Adding a username to a project's team invites; the person is shown and gets rights only once
they accept (hole 3)."""

from meetup.broadcasts.models import Broadcast, Delivery
from meetup.broadcasts.registry import email_builder
from meetup.showcase.models import Project, ProjectInvitation
from tests.factories import UserFactory


def test_adding_someone_to_a_project_team_without_consent_shows_and_empowers_nobody(api, attendee, client):
    invitee = UserFactory(username="invitee")

    response = api(attendee).post("/api/projects", {"title": "Talk search", "summary": "Search talks.",
                                                    "team": ["invitee"]})

    assert response.status_code == 201
    project = Project.objects.get()
    assert response.json()["team"] == [attendee.username]
    assert api(None).get(f"/api/projects/{project.slug}").json()["team"] == [attendee.username]
    assert "invitee" not in client.get(f"/projects/{project.slug}/").content.decode()
    client.force_login(invitee)
    assert client.get(f"/projects/{project.slug}/edit/").status_code == 403


def test_the_project_invitee_is_told_through_the_outbox_and_joins_on_accepting(api, attendee, client):
    invitee = UserFactory(username="invitee")
    api(attendee).post("/api/projects", {"title": "Talk search", "summary": "Search talks.", "team": ["invitee"]})

    delivery = Delivery.objects.get(user=invitee)
    assert delivery.broadcast.kind == Broadcast.Kind.PROJECT_TEAM
    assert "Talk search" in email_builder(Broadcast.Kind.PROJECT_TEAM)(delivery).subject
    client.force_login(invitee)
    assert "Talk search" in client.get("/projects/invitations/").content.decode()
    invitation = ProjectInvitation.objects.get()

    response = client.post(f"/projects/invitations/{invitation.pk}/accept/")

    assert response.status_code == 302
    project = Project.objects.get()
    assert set(project.team.values_list("username", flat=True)) == {attendee.username, "invitee"}
    assert client.get(f"/projects/{project.slug}/edit/").status_code == 200


def test_a_project_invitation_is_answered_only_by_its_invitee(api, attendee, stranger):
    UserFactory(username="invitee")
    api(attendee).post("/api/projects", {"title": "Talk search", "summary": "Search talks.", "team": ["invitee"]})
    invitation = ProjectInvitation.objects.get()

    assert api(stranger).post(f"/api/project-invitations/{invitation.pk}/accept").status_code == 404
    assert api(None).get("/api/project-invitations").status_code == 401
