import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied

from meetup.showcase import services
from meetup.showcase.models import Comment, Project, Report
from tests.factories import UserFactory
from tests.outbox import deliver_all
from tests.showcase.factories import CommentFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mo", email="mo@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def report(client, user, url, reason="spam"):
    client.force_login(user)
    return client.post(url, {"reason": reason, "details": "Selling things."})


def test_attendees_cannot_see_the_queue(client, attendee):
    client.force_login(attendee)

    assert client.get("/moderation/").status_code == 403


def test_strangers_are_sent_to_sign_in(client, db):
    assert client.get("/moderation/").status_code == 302


def test_attendees_cannot_hide_restore_or_dismiss(client, attendee, stranger):
    project = ProjectFactory()
    comment = CommentFactory(project=project)
    services.report_create(reporter=stranger, project=project, reason="spam")
    client.force_login(attendee)

    assert client.post(f"/moderation/projects/{project.slug}/hide/").status_code == 403
    assert client.post(f"/moderation/comments/{comment.pk}/hide/").status_code == 403
    assert client.post(f"/moderation/reports/{Report.objects.get().pk}/dismiss/").status_code == 403
    assert Project.objects.get().visibility == "visible" and Comment.objects.get().visibility == "visible"
    assert Report.objects.get().status == "open"


def test_the_service_refuses_an_attendee_too(attendee):
    project = ProjectFactory()

    with pytest.raises(PermissionDenied):
        services.content_hide(moderator=attendee, project=project)
    assert Project.objects.get().visibility == "visible"


@pytest.mark.parametrize("who", ["moderator", "organiser"])
def test_moderators_and_organisers_see_the_queue(client, request, who, stranger):
    project = ProjectFactory(title="Crypto giveaway")
    report(client, stranger, f"/projects/{project.slug}/report/")
    client.force_login(request.getfixturevalue(who))

    page = client.get("/moderation/")

    assert page.status_code == 200 and "Crypto giveaway" in page.content.decode()


def test_hiding_a_project_closes_its_reports_and_tells_each_reporter(client, moderator, stranger, attendee,
                                                                     django_capture_on_commit_callbacks):
    project = ProjectFactory(title="Crypto giveaway")
    report(client, stranger, f"/projects/{project.slug}/report/")
    report(client, attendee, f"/projects/{project.slug}/report/", reason="unsafe")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/projects/{project.slug}/hide/")
    deliver_all()  # the outcomes go through the outbox, as a worker would send them

    assert Project.objects.get().visibility == "hidden"
    assert set(Report.objects.values_list("status", flat=True)) == {"hidden"}
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "sam@example.org"]
    assert "hidden" in mail.outbox[0].subject and "Crypto giveaway" in mail.outbox[0].body
    client.force_login(attendee)
    assert client.get(f"/projects/{project.slug}/").status_code == 404


def test_dismissing_a_report_leaves_the_comment_up_and_tells_the_reporter(client, moderator, stranger,
                                                                          django_capture_on_commit_callbacks):
    comment = CommentFactory(body="I disagree with your benchmark.")
    report(client, stranger, f"/comments/{comment.pk}/report/", reason="abuse")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/reports/{Report.objects.get().pk}/dismiss/")
    deliver_all()

    assert Comment.objects.get().visibility == "visible" and Report.objects.get().status == "dismissed"
    [message] = mail.outbox
    assert message.to == ["sam@example.org"] and "no action taken" in message.subject


def test_a_hidden_comment_disappears_for_others_and_can_be_restored(client, moderator, attendee):
    comment = CommentFactory(body="Buy followers now")
    client.force_login(moderator)
    client.post(f"/moderation/comments/{comment.pk}/hide/")

    client.force_login(attendee)
    assert "Buy followers now" not in client.get(f"/projects/{comment.project.slug}/").content.decode()

    client.force_login(moderator)
    client.post(f"/moderation/comments/{comment.pk}/restore/")
    client.force_login(attendee)
    assert "Buy followers now" in client.get(f"/projects/{comment.project.slug}/").content.decode()


def test_reporting_the_same_thing_twice_keeps_one_open_report(stranger):
    project = ProjectFactory()

    first = services.report_create(reporter=stranger, project=project, reason="spam")
    again = services.report_create(reporter=stranger, project=project, reason="spam")

    assert first.pk == again.pk and Report.objects.count() == 1


def test_reports_are_rate_limited(client, stranger):
    projects = ProjectFactory.create_batch(6)
    client.force_login(stranger)

    statuses = [client.post(f"/projects/{p.slug}/report/", {"reason": "spam"}).status_code for p in projects]

    assert statuses == [302] * 5 + [429]
    assert Report.objects.count() == 5


def test_comments_are_rate_limited(client, attendee):
    project = ProjectFactory()
    client.force_login(attendee)

    statuses = [client.post(f"/projects/{project.slug}/comments/", {"body": f"Comment {i}"}).status_code
                for i in range(6)]

    assert statuses == [302] * 5 + [429]
    assert Comment.objects.count() == 5


def test_authors_edit_and_delete_their_own_comments_only(client, attendee, stranger):
    comment = CommentFactory(author=attendee)

    client.force_login(stranger)
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "hacked"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403

    client.force_login(attendee)
    client.post(f"/comments/{comment.pk}/edit/", {"body": "Fixed a typo"})
    assert Comment.objects.get().body == "Fixed a typo" and Comment.objects.get().edited_at
    client.post(f"/comments/{comment.pk}/delete/")
    assert not Comment.objects.exists()
