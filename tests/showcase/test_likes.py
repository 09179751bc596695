"""Likes: one per user, toggled, counted without N+1; under concurrency the count stays right.

The PostgreSQL race first shows that a naive read-modify-write of the counter loses likes here,
then runs the service under the same load."""

import time

import pytest
from django.db import transaction

from meetup.showcase import services
from meetup.showcase.models import Like, Project
from tests.concurrency import race
from tests.factories import UserFactory
from tests.showcase.factories import ProjectFactory


def test_liking_twice_keeps_one_like(attendee):
    project = ProjectFactory()

    services.like_set(project=project, user=attendee, liked=True)
    assert services.like_set(project=project, user=attendee, liked=True) == (True, 1)
    assert Like.objects.count() == 1


def test_toggling_likes_then_unlikes(attendee):
    project = ProjectFactory()

    assert services.like_toggle(project=project, user=attendee) == (True, 1)
    assert services.like_toggle(project=project, user=attendee) == (False, 0)
    assert not Like.objects.exists()


def test_the_like_button_swaps_itself_with_htmx(client, attendee):
    project = ProjectFactory()
    client.force_login(attendee)

    response = client.post(f"/projects/{project.slug}/like/", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200 and 'aria-pressed="true"' in html and '<span class="like-count">1</span>' in html


def test_a_stranger_is_sent_to_sign_in_to_like(client, db):
    project = ProjectFactory()

    response = client.post(f"/projects/{project.slug}/like/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Project.objects.get().like_count == 0


def test_the_page_shows_whether_the_caller_likes_it(client, attendee):
    project = ProjectFactory()
    services.like_set(project=project, user=attendee, liked=True)
    client.force_login(attendee)

    assert 'aria-pressed="true"' in client.get(f"/projects/{project.slug}/").content.decode()


def naive_like(project, user):
    """The bug this design avoids: read the count, add one in Python, write it back."""
    with transaction.atomic():
        Like.objects.create(project=project, user=user)
        count = Project.objects.get(pk=project.pk).like_count
        time.sleep(0.005)  # the rest of a request's work between the read and the write
        Project.objects.filter(pk=project.pk).update(like_count=count + 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestOnPostgreSQL:
    def test_control_a_naive_read_then_write_loses_likes(self):
        project = ProjectFactory()
        users = UserFactory.create_batch(40)

        race(40, lambda i: naive_like(project, users[i]))

        project.refresh_from_db()
        assert Like.objects.filter(project=project).count() == 40
        assert project.like_count < 40

    def test_many_people_liking_at_once_are_all_counted(self):
        project = ProjectFactory()
        users = UserFactory.create_batch(40)

        race(40, lambda i: services.like_set(project=project, user=users[i], liked=True))

        project.refresh_from_db()
        assert project.like_count == Like.objects.filter(project=project).count() == 40

    def test_one_person_racing_like_and_unlike_leaves_the_count_matching_the_rows(self):
        project = ProjectFactory()
        user = UserFactory()

        race(30, lambda i: services.like_set(project=project, user=user, liked=i % 2 == 0))

        project.refresh_from_db()
        assert project.like_count == Like.objects.filter(project=project).count() <= 1

    def test_mixed_toggles_from_many_people_keep_the_count_exact(self):
        project = ProjectFactory()
        users = UserFactory.create_batch(10)

        race(40, lambda i: services.like_toggle(project=project, user=users[i % 10]))

        project.refresh_from_db()
        assert project.like_count == Like.objects.filter(project=project).count()
