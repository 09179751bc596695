import pytest

from tests.factories import EventFactory
from tests.showcase.factories import HubModelFactory, LinkFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_anyone_can_list_projects_with_their_hub_links(api, db):
    link = LinkFactory(hub_model=HubModelFactory(repo_id="openai/whisper-small", likes=420))

    body = api(None).get("/api/projects").json()

    assert body["count"] == 1
    [item] = body["items"]
    assert item["slug"] == link.project.slug and item["liked"] is None
    assert item["links"][0]["hub"]["repo_id"] == "openai/whisper-small" and item["links"][0]["hub"]["likes"] == 420


def test_a_signed_in_caller_creates_a_project(api, attendee):
    event = EventFactory()

    response = api(attendee).post("/api/projects", {
        "title": "Talk search", "summary": "Search every talk.", "event": event.slug,
        "hub_links": ["sentence-transformers/all-MiniLM-L6-v2"]})

    assert response.status_code == 201
    body = response.json()
    assert body["team"] == ["alice"] and body["event"] == event.slug
    assert body["links"] == [{"requested": "sentence-transformers/all-MiniLM-L6-v2", "repo_type": "model",
                              "status": "pending", "hub": None}]


@pytest.mark.parametrize("payload, field", [
    ({"summary": "no title"}, "title"),
    ({"title": "x", "summary": "y", "hub_links": ["https://example.com/nope"]}, "hub_links"),
    ({"title": "x", "summary": "y", "event": "no-such-event"}, "event"),
    ({"title": "x", "summary": "y", "demo_url": "javascript:alert(1)"}, "demo_url"),
    ({"title": "x", "summary": "y", "surprise": 1}, "surprise"),
    ({"title": 5, "summary": "y"}, "title"),
])
def test_bad_input_is_a_400_json_error_naming_the_field(api, attendee, payload, field):
    response = api(attendee).post("/api/projects", payload)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and field in response.json()["fields"]


def test_malformed_json_is_a_400(api, attendee):
    response = api(attendee).post("/api/projects", raw="{nope")

    assert response.status_code == 400 and response.json()["error"]


def test_creating_needs_a_token(api, db):
    response = api(None).post("/api/projects", {"title": "x", "summary": "y"})

    assert response.status_code == 401 and response.json()["error"] == "unauthorized"


def test_a_bad_list_filter_is_a_400(api, db):
    response = api(None).get("/api/projects?sort=random&page=0")

    assert response.status_code == 400 and set(response.json()["fields"]) == {"sort", "page"}


def test_the_like_endpoints_toggle_set_and_clear(api, attendee):
    project = ProjectFactory()
    me = api(attendee)

    assert me.post(f"/api/projects/{project.slug}/like").json() == {"liked": True, "like_count": 1}
    assert me.post(f"/api/projects/{project.slug}/like").json() == {"liked": False, "like_count": 0}
    assert me._send("put", f"/api/projects/{project.slug}/like").json() == {"liked": True, "like_count": 1}
    assert me._send("put", f"/api/projects/{project.slug}/like").json() == {"liked": True, "like_count": 1}
    assert me.delete(f"/api/projects/{project.slug}/like").json()["like_count"] == 0


def test_an_unknown_project_is_a_404_json(api, attendee):
    response = api(attendee).post("/api/projects/nope/like")

    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_collections_through_the_api(api, attendee, stranger):
    project = ProjectFactory()
    me = api(attendee)

    created = me.post("/api/collections", {"name": "Speech", "is_public": False}).json()
    assert me.post(f"/api/collections/{created['id']}/projects", {"project": project.slug}).status_code == 201
    assert me.post(f"/api/collections/{created['id']}/projects", {"project": project.slug}).status_code == 200

    assert me.get(f"/api/collections/{created['id']}").json()["projects"] == [project.slug]
    assert api(stranger).get(f"/api/collections/{created['id']}").status_code == 404  # private
    assert api(stranger).post(f"/api/collections/{created['id']}/projects",
                              {"project": project.slug}).status_code == 404
    assert me.post("/api/collections", {"name": "Speech"}).status_code == 400  # same name twice
    assert me.delete(f"/api/collections/{created['id']}/projects/{project.slug}").json()["projects"] == []


def test_the_openapi_schema_documents_the_showcase(api, db):
    paths = api(None).get("/api/openapi.json").json()["paths"]

    assert {"/api/projects", "/api/projects/{slug}", "/api/projects/{slug}/like", "/api/collections"} <= set(paths)
