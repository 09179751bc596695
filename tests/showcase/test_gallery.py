import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetup.showcase import services
from meetup.showcase.models import Project
from tests.factories import EventFactory, UserFactory
from tests.showcase.factories import HubModelFactory, LinkFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


def test_the_query_count_does_not_grow_with_the_number_of_projects(client, attendee):
    def queries_with(n: int) -> int:
        event = EventFactory()
        users = UserFactory.create_batch(3)
        for i in range(n):
            project = ProjectFactory(event=event)
            LinkFactory(project=project)
            LinkFactory(project=project, hub_model__pipeline_tag="automatic-speech-recognition")
            services.like_set(project=project, user=users[i % 3], liked=True)
        client.force_login(attendee)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/projects/?sort=most_liked")
        assert response.status_code == 200 and len(response.context["page"].object_list) == min(n, 24)
        Project.objects.all().delete()
        return len(ctx.captured_queries)

    assert queries_with(3) == queries_with(30)


def test_the_api_list_query_count_does_not_grow_either(api, attendee):
    caller = api(attendee)
    for _ in range(30):
        LinkFactory()
    caller.get("/api/projects?page_size=1")  # the token's first use is stamped once
    with CaptureQueriesContext(connection) as small:
        caller.get("/api/projects?page_size=5")
    with CaptureQueriesContext(connection) as big:
        caller.get("/api/projects?page_size=30")

    assert len(small.captured_queries) == len(big.captured_queries)


def test_filters_by_task_license_library_and_event(client, db):
    event = EventFactory()
    speech = LinkFactory(project__title="Captions", project__event=event,
                         hub_model__pipeline_tag="automatic-speech-recognition", hub_model__license="mit")
    LinkFactory(project__title="Chatbot", hub_model__library_name="vllm")

    assert titles(client.get("/projects/?task=automatic-speech-recognition")) == ["Captions"]
    assert titles(client.get("/projects/?license=mit")) == ["Captions"]
    assert titles(client.get("/projects/?library=vllm")) == ["Chatbot"]
    assert titles(client.get(f"/projects/?event={event.slug}")) == [speech.project.title]


def test_a_project_with_two_matching_links_is_listed_once(client, db):
    project = ProjectFactory(title="Twice")
    LinkFactory(project=project, hub_model__license="mit")
    LinkFactory(project=project, hub_model__license="mit")

    assert titles(client.get("/projects/?license=mit")) == ["Twice"]


def test_sorts_by_newest_most_liked_and_trending(client, db):
    users = UserFactory.create_batch(2)
    ProjectFactory(title="Old")
    liked = ProjectFactory(title="Liked")
    ProjectFactory(title="Hot", trending_score=5.0)
    for user in users:
        services.like_set(project=liked, user=user, liked=True)

    assert titles(client.get("/projects/?sort=newest")) == ["Hot", "Liked", "Old"]
    assert titles(client.get("/projects/?sort=most_liked")) == ["Liked", "Hot", "Old"]
    assert titles(client.get("/projects/?sort=trending")) == ["Hot", "Liked", "Old"]


def test_search_finds_words_in_the_title_or_summary(client, db):
    ProjectFactory(title="Whisper captions", summary="Live subtitles for every talk")
    ProjectFactory(title="Recipe bot", summary="Cooking with Llama")
    ProjectFactory(title="Other", summary="Nothing to see")

    assert titles(client.get("/projects/?q=captions")) == ["Whisper captions"]
    assert titles(client.get("/projects/?q=llama")) == ["Recipe bot"]
    assert titles(client.get("/projects/?q=subtitles")) == ["Whisper captions"]


def test_hidden_projects_are_not_in_the_gallery(client, db):
    ProjectFactory(title="Spam", visibility="hidden")
    ProjectFactory(title="Fine")

    assert titles(client.get("/projects/")) == ["Fine"]


def test_the_facets_come_from_linked_repositories(client, db):
    LinkFactory(hub_model=HubModelFactory(pipeline_tag="fill-mask", license="apache-2.0", library_name="transformers"))

    facets = client.get("/projects/").context["facets"]

    assert facets == {"tasks": ["fill-mask"], "licenses": ["apache-2.0"], "libraries": ["transformers"]}


def test_unknown_sort_and_page_fall_back_quietly(client, db):
    ProjectFactory()

    assert client.get("/projects/?sort=%27;drop&page=zzz").status_code == 200
