import pytest
from django.core.management import call_command

from hubsync.models import HubModel
from meetup.showcase.models import Project, ProjectLink

pytestmark = pytest.mark.django_db


def test_seed_demo_links_projects_to_the_bundled_snapshot_once(client):
    call_command("seed_demo", attendees=40, stdout=open("/dev/null", "w"))
    call_command("seed_demo", attendees=40, stdout=open("/dev/null", "w"))

    assert Project.objects.count() == 8
    gpt2 = ProjectLink.objects.get(requested_id="gpt2")
    assert gpt2.status == "linked" and gpt2.hub_model.repo_id == "openai-community/gpt2"
    assert ProjectLink.objects.get(requested_id="someone/not-released-yet").status == "not_found"
    assert HubModel.objects.get(repo_id="meta-llama/Llama-3.1-8B").gated == "manual"
    assert Project.objects.filter(like_count__gt=0).count() == 8
    page = client.get("/projects/").content.decode()
    assert "Live captions for talks" in page and "automatic-speech-recognition" in page
