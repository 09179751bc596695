import pytest

from meetup.showcase.models import Collection
from tests.showcase.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_private_collection_is_only_for_its_owner(client, attendee, stranger):
    project = ProjectFactory(title="Live captions")
    client.force_login(attendee)
    client.post("/collections/", {"name": "Speech", "description": "Voice demos"})
    collection = Collection.objects.get()
    client.post(f"/projects/{project.slug}/collect/", {"collection": collection.pk})

    assert "Live captions" in client.get(f"/collections/{collection.pk}/").content.decode()
    client.force_login(stranger)
    assert client.get(f"/collections/{collection.pk}/").status_code == 404
    assert client.post(f"/projects/{project.slug}/collect/", {"collection": collection.pk}).status_code == 404


def test_a_public_collection_is_for_everyone_but_changed_only_by_its_owner(client, attendee, stranger):
    project = ProjectFactory(title="Live captions")
    client.force_login(attendee)
    client.post("/collections/", {"name": "Best of the night", "is_public": "on"})
    collection = Collection.objects.get()
    client.post(f"/projects/{project.slug}/collect/", {"collection": collection.pk})

    client.logout()
    assert "Live captions" in client.get(f"/collections/{collection.pk}/").content.decode()
    client.force_login(stranger)
    assert client.post(f"/collections/{collection.pk}/remove/{project.slug}/").status_code == 403
    assert client.post(f"/collections/{collection.pk}/delete/").status_code == 403
    client.force_login(attendee)
    client.post(f"/collections/{collection.pk}/remove/{project.slug}/")
    assert not collection.items.exists()


def test_the_collections_page_lists_mine_and_refuses_a_duplicate_name(client, attendee):
    client.force_login(attendee)
    client.post("/collections/", {"name": "Speech"})

    response = client.post("/collections/", {"name": "Speech"})

    assert "already have a collection with this name" in response.content.decode()
    assert Collection.objects.count() == 1


def test_a_bad_collection_choice_is_a_404_not_a_crash(client, attendee):
    project = ProjectFactory()
    client.force_login(attendee)

    assert client.post(f"/projects/{project.slug}/collect/", {"collection": "abc"}).status_code == 404
