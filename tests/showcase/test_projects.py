import pytest

from meetup.showcase import services
from meetup.showcase.models import Project, ProjectLink
from meetup.showcase.tasks import resolve_link
from tests.factories import EventFactory
from tests.showcase.factories import HubModelFactory, LinkFactory, ProjectFactory

pytestmark = pytest.mark.django_db

CARD = "---\nlicense: mit\n---\n# Whisper captions\n\n## Intended use\nCaptions.\n\n## Limitations\nAccents."


def create(user, **extra):
    data = {"title": "Live captions", "summary": "Captions for every talk.", **extra}
    return services.project_create(user=user, **data)


def test_a_new_projects_links_are_pending_and_looked_up_after_commit(attendee, published,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project = create(attendee, hub_links=["openai/whisper-small", "https://huggingface.co/datasets/a/b"])

    links = list(project.links.all())
    assert [(link.repo_type, link.requested_id, link.status) for link in links] == [
        ("model", "openai/whisper-small", "pending"), ("dataset", "a/b", "pending")]
    assert [p["task"] for p in published] == ["showcase.resolve_link"] * 2


def test_resolving_links_stores_the_canonical_repository_or_not_found(attendee, fake_hub):
    fake_hub.add("openai/whisper-small", pipeline_tag="automatic-speech-recognition", license="apache-2.0",
                 readme=CARD)
    fake_hub.redirects[("model", "openai/whisper-small-old")] = "openai/whisper-small"
    project = create(attendee, hub_links=["openai/whisper-small-old", "nobody/missing"])

    for link in project.links.all():
        resolve_link.apply(args=[link.pk]).get()

    renamed, missing = project.links.select_related("hub_model").all()
    assert renamed.status == "linked" and renamed.hub_model.repo_id == "openai/whisper-small"
    assert renamed.requested_id == "openai/whisper-small-old"
    assert missing.status == "not_found"


def test_a_second_project_linking_a_fresh_repository_does_not_ask_the_hub_again(attendee, stranger, fake_hub):
    fake_hub.add("openai/whisper-small")
    first = create(attendee, hub_links=["openai/whisper-small"])
    resolve_link.apply(args=[first.links.get().pk])
    second = create(stranger, title="Another", hub_links=["openai/whisper-small"])

    resolve_link.apply(args=[second.links.get().pk])

    assert second.links.get().status == "linked"
    assert fake_hub.count("GET", "/api/models/") == 1


def test_bad_hub_links_are_refused_with_the_reason(attendee):
    with pytest.raises(Exception) as caught:
        create(attendee, hub_links=["https://github.com/x/y", "ok/model"])

    assert "hub_links" in caught.value.message_dict
    assert not Project.objects.exists()


def test_editing_keeps_settled_links_and_adds_new_ones_pending(attendee):
    link = LinkFactory(project=ProjectFactory(created_by=attendee))
    project = link.project

    services.project_update(project=project, hub_links=[link.requested_id, "new/one"], title="Renamed")

    assert project.title == "Renamed"
    assert list(project.links.values_list("requested_id", "status")) == [
        (link.requested_id, "linked"), ("new/one", "pending")]


def test_the_page_shows_the_model_card_panel_with_its_checklist(client, db):
    hub = HubModelFactory(repo_id="openai/whisper-small", pipeline_tag="automatic-speech-recognition",
                          license="apache-2.0", library_name="transformers", downloads=1_234_567, likes=420,
                          card_data={"datasets": ["mozilla-foundation/common_voice_11_0"]}, has_intended_use=True)
    link = LinkFactory(hub_model=hub)

    page = client.get(f"/projects/{link.project.slug}/").content.decode()

    assert "openai/whisper-small" in page and "automatic-speech-recognition" in page
    assert "1,234,567" in page and "mozilla-foundation/common_voice_11_0" in page
    assert "Missing from the card: Base model, Limitations." in page


def test_pending_and_not_found_links_say_so(client, db):
    project = ProjectFactory()
    ProjectLink.objects.create(project=project, requested_id="a/pending")
    ProjectLink.objects.create(project=project, requested_id="a/missing", status="not_found")

    page = client.get(f"/projects/{project.slug}/").content.decode()

    assert "looking it up" in page and "not found" in page


def test_the_create_page_makes_a_project_for_the_signed_in_user(client, attendee, stranger):
    event = EventFactory()
    client.force_login(attendee)

    response = client.post("/projects/new/", {
        "title": "Talk search", "summary": "Search every talk.", "description": "Uses *MiniLM*.",
        "hub_links": "sentence-transformers/all-MiniLM-L6-v2", "team": "sam", "event": event.slug})

    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.slug}/"
    assert set(project.team.values_list("username", flat=True)) == {"alice"}
    assert list(project.invitations.values_list("user__username", flat=True)) == ["sam"]
    assert project.event == event


def test_only_the_team_can_edit(client, attendee, stranger):
    project = ProjectFactory(created_by=attendee)

    client.force_login(stranger)
    assert client.get(f"/projects/{project.slug}/edit/").status_code == 403
    client.force_login(attendee)
    assert client.get(f"/projects/{project.slug}/edit/").status_code == 200


def test_an_unknown_team_member_is_a_form_error(client, attendee):
    client.force_login(attendee)

    response = client.post("/projects/new/", {"title": "X", "summary": "Y", "team": "nobody-here"})

    assert response.status_code == 200 and "No member with the username nobody-here" in response.content.decode()
