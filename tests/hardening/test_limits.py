"""Likes, project creation, team invitations and comment edits are rate limited (hole 14)."""

from tests.factories import UserFactory


def test_a_script_liking_in_a_loop_is_limited(api, attendee):
    from meetup.showcase.models import Project
    project = Project.objects.create(title="P", slug="p", summary="s", created_by=UserFactory())
    caller = api(attendee)

    codes = [caller.post(f"/api/projects/{project.slug}/like").status_code for _ in range(31)]

    assert codes[:30] == [200] * 30
    assert codes[30] == 429


def test_a_script_creating_projects_in_a_loop_is_limited(api, attendee):
    caller = api(attendee)

    codes = [caller.post("/api/projects", {"title": f"P{i}", "summary": "s"}).status_code for i in range(6)]

    assert codes == [201] * 5 + [429]


def test_a_script_inviting_people_in_a_loop_is_limited(api, attendee):
    people = [UserFactory().username for _ in range(31)]
    caller = api(attendee)

    first = caller.post("/api/projects", {"title": "P", "summary": "s", "team": people[:10]})
    second = caller.post("/api/projects", {"title": "Q", "summary": "s", "team": people[10:20]})
    third = caller.post("/api/projects", {"title": "R", "summary": "s", "team": people[20:31]})

    assert (first.status_code, second.status_code, third.status_code) == (201, 201, 429)


def test_a_script_editing_a_comment_in_a_loop_is_limited(client, attendee):
    from meetup.showcase.models import Comment, Project
    project = Project.objects.create(title="P", slug="p", summary="s", created_by=UserFactory())
    comment = Comment.objects.create(project=project, author=attendee, body="hi")
    client.force_login(attendee)

    codes = [client.post(f"/comments/{comment.pk}/edit/", {"body": f"edit {i}"}).status_code for i in range(11)]

    assert 429 in codes[10:] and 429 not in codes[:10]
