"""hubsync against a local Hub server through the real huggingface_hub client."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from hubsync import tasks
from hubsync.client import RateLimited, RepoRef, parse_ref
from hubsync.models import HubModel, LikeSnapshot
from hubsync.services import author_refresh, hub_paused_for, refresh_plan, repo_sync
from tests.fakes.hub import FakeHub
from tests.showcase.factories import HubModelFactory

pytestmark = pytest.mark.django_db

CARD = """---
license: apache-2.0
datasets: [wikitext]
base_model: openai-community/gpt2
---
# Tiny GPT

## Intended uses
Story prompts for workshops.

## Limitations
Writes confident nonsense.
"""


def model(ref: str) -> RepoRef:
    return RepoRef("model", ref)


def test_an_old_id_is_stored_under_the_canonical_id_the_hub_redirects_to(fake_hub):
    fake_hub.add("openai-community/gpt2", likes=2900, pipeline_tag="text-generation", license="mit")
    fake_hub.redirects[("model", "gpt2")] = "openai-community/gpt2"

    hub_model = repo_sync(ref=model("gpt2"))

    assert hub_model.repo_id == "openai-community/gpt2"
    assert hub_model.status == "ok" and hub_model.likes == 2900 and hub_model.license == "mit"
    assert fake_hub.count("GET", "/api/models/gpt2") == 1  # the redirect was followed
    assert not HubModel.objects.filter(repo_id="gpt2").exists()


def test_a_repository_renamed_after_it_was_stored_keeps_its_row_under_the_new_name(fake_hub):
    fake_hub.add("alice/old-name", likes=5)
    first = repo_sync(ref=model("alice/old-name"))
    fake_hub.rename("alice/old-name", "alice/new-name")

    again = repo_sync(ref=model("alice/old-name"))

    assert again.pk == first.pk and again.repo_id == "alice/new-name"
    assert HubModel.objects.count() == 1


def test_a_sync_reads_the_card_sections_and_metadata(fake_hub):
    fake_hub.add("alice/tiny-gpt", license="apache-2.0", pipeline_tag="text-generation", readme=CARD,
                 card_data={"datasets": ["wikitext"], "base_model": "openai-community/gpt2"})

    hub_model = repo_sync(ref=model("alice/tiny-gpt"))

    assert "<h2>Intended uses</h2>" in hub_model.card_html and "license:" not in hub_model.card_html
    assert hub_model.has_intended_use and hub_model.has_limitations
    assert hub_model.datasets == ["wikitext"] and hub_model.base_models == ["openai-community/gpt2"]
    assert hub_model.card_missing() == []


def test_the_card_checklist_names_what_is_missing(fake_hub):
    fake_hub.add("alice/bare", readme="# Bare\nJust weights.")

    hub_model = repo_sync(ref=model("alice/bare"))

    assert hub_model.card_missing() == ["License", "Training datasets", "Base model", "Task (pipeline tag)",
                                        "Intended use", "Limitations"]


def test_the_readme_is_fetched_again_only_when_the_sha_changes(fake_hub):
    fake_hub.add("alice/tiny-gpt", likes=1, readme=CARD)
    repo_sync(ref=model("alice/tiny-gpt"))
    fake_hub.update("alice/tiny-gpt", likes=2)

    repo_sync(ref=model("alice/tiny-gpt"))
    assert fake_hub.count("GET", "/resolve/") == 1

    fake_hub.update("alice/tiny-gpt", readme=CARD + "\n## Evaluation\nNew section.", new_commit=True)
    hub_model = repo_sync(ref=model("alice/tiny-gpt"))

    assert fake_hub.count("GET", "/resolve/") == 2
    assert "New section." in hub_model.card_html
    assert hub_model.card_sha == fake_hub.repos[("model", "alice/tiny-gpt")].sha


def test_a_refresh_updates_counts_and_records_one_snapshot_per_day(fake_hub):
    fake_hub.add("alice/tiny-gpt", likes=10, downloads=100)
    hub_model = repo_sync(ref=model("alice/tiny-gpt"))
    fake_hub.update("alice/tiny-gpt", likes=12, downloads=150)

    repo_sync(ref=model("alice/tiny-gpt"))

    hub_model.refresh_from_db()
    assert (hub_model.likes, hub_model.downloads) == (12, 150)
    assert list(LikeSnapshot.objects.values_list("likes", flat=True)) == [12]


def test_a_missing_repository_is_stored_as_not_found(fake_hub):
    hub_model = repo_sync(ref=model("nobody/nothing"))

    assert hub_model.status == "not_found" and hub_model.likes == 0


def test_a_dataset_and_a_space_are_looked_up_under_their_own_paths(fake_hub):
    fake_hub.add("HuggingFaceFW/fineweb", repo_type="dataset", likes=2100, license="odc-by")
    fake_hub.add("alice/demo", repo_type="space", likes=3)

    dataset = repo_sync(ref=RepoRef("dataset", "HuggingFaceFW/fineweb"))
    space = repo_sync(ref=RepoRef("space", "alice/demo"))

    assert (dataset.repo_type, dataset.likes, dataset.license) == ("dataset", 2100, "odc-by")
    assert dataset.hub_url.endswith("/datasets/HuggingFaceFW/fineweb")
    assert (space.repo_type, space.library_name) == ("space", "gradio")


def test_a_gated_card_is_not_copied_even_when_our_token_could_read_it(fake_hub, settings):
    settings.HF_TOKEN = FakeHub.TOKEN
    fake_hub.add("meta-llama/Llama-3.1-8B", gated="manual", likes=1800, readme="# Llama\nLicensed text.")

    hub_model = repo_sync(ref=model("meta-llama/Llama-3.1-8B"))

    assert hub_model.status == "ok" and hub_model.gated == "manual" and hub_model.likes == 1800
    assert hub_model.card_html == ""


def test_a_private_repository_our_token_can_see_is_stored_without_any_of_its_data(fake_hub, settings):
    settings.HF_TOKEN = FakeHub.TOKEN
    fake_hub.add("acme/secret-model", private=True, likes=7, pipeline_tag="text-generation", readme="# Secret")

    hub_model = repo_sync(ref=model("acme/secret-model"))

    assert hub_model.status == "private"
    assert (hub_model.likes, hub_model.pipeline_tag, hub_model.card_html, hub_model.card_data) == (0, "", "", {})
    assert fake_hub.count("GET", "/resolve/") == 0


def test_a_private_repository_without_a_token_is_simply_not_found(fake_hub):
    fake_hub.add("acme/secret-model", private=True)

    assert repo_sync(ref=model("acme/secret-model")).status == "not_found"


def test_a_429_raises_with_the_hubs_wait_and_pauses_every_other_call(fake_hub):
    fake_hub.add("alice/tiny-gpt")
    fake_hub.rate_limit(42)

    with pytest.raises(RateLimited) as caught:
        repo_sync(ref=model("alice/tiny-gpt"))

    assert caught.value.retry_after == 42
    assert 40 <= hub_paused_for() <= 43


def test_a_rate_limited_task_is_queued_again_for_when_the_hub_says(fake_hub, published):
    fake_hub.add("alice/tiny-gpt")
    fake_hub.rate_limit(42)
    before = timezone.now()

    assert tasks.sync_repo.apply(args=["model", "alice/tiny-gpt"]).get() == "rate_limited"

    [again] = published
    assert again["task"] == "hubsync.sync_repo" and again["args"] == ["model", "alice/tiny-gpt"]
    wait = datetime.fromisoformat(again["eta"]) - before
    assert timedelta(seconds=41) <= wait <= timedelta(seconds=44)
    assert fake_hub.count("GET", "/api/models/") == 1  # no retry loop against the Hub


def test_while_the_hub_asks_us_to_wait_tasks_do_not_call_it(fake_hub, published):
    fake_hub.add("alice/tiny-gpt")
    fake_hub.rate_limit(30)
    tasks.sync_repo.apply(args=["model", "alice/tiny-gpt"])

    assert tasks.sync_repo.apply(args=["model", "alice/tiny-gpt"]).get() == "paused"

    assert fake_hub.count("GET", "/api/models/") == 1 and len(published) == 2


def test_an_owner_refresh_reads_the_paged_listing_and_writes_only_what_changed(settings):
    hub = FakeHub(page_size=3).start()
    settings.HF_ENDPOINT = hub.url
    try:
        for i in range(7):
            hub.add(f"acme/m{i}", likes=i, readme=f"# m{i}")
        hub.add("acme/untracked")
        for i in range(7):
            repo_sync(ref=model(f"acme/m{i}"))
        hub.add("acme/gone")
        HubModelFactory(repo_id="acme/gone")
        del hub.repos[("model", "acme/gone")]
        hub.requests.clear()
        hub.update("acme/m1", likes=100)
        hub.update("acme/m2", new_commit=True, readme="# m2 v2")

        result = author_refresh(repo_type="model", author="acme")

        assert hub.count("GET", "/api/models") == 3  # 8 repositories, 3 a page
        assert (result.seen, result.changed, result.cards) == (7, 2, 1)
        assert hub.count("GET", "/resolve/") == 1
        assert HubModel.objects.get(repo_id="acme/m1").likes == 100
        assert "m2 v2" in HubModel.objects.get(repo_id="acme/m2").card_html
        assert result.missing == [HubModel.objects.get(repo_id="acme/gone").pk]
    finally:
        hub.stop()


def test_the_refresh_plan_lists_big_owners_and_batches_the_rest():
    for i in range(3):
        HubModelFactory(repo_id=f"big/m{i}")
    small = HubModelFactory(repo_id="small/one")

    plan = refresh_plan(listing_min=3)

    assert plan.owners == [("model", "big")]
    assert plan.singles == [small.pk]


def test_the_beat_job_queues_owner_listings_and_batches(published):
    for i in range(25):
        HubModelFactory(repo_id=f"big/m{i}")
    HubModelFactory(repo_id="small/one")

    assert tasks.refresh_linked.apply().get() == {"owners": 1, "singles": 1}

    assert sorted(p["task"] for p in published) == ["hubsync.refresh_batch", "hubsync.refresh_owner"]


@pytest.mark.parametrize("text, expected", [
    ("gpt2", ("model", "gpt2")),
    ("mistralai/Mistral-7B-v0.1", ("model", "mistralai/Mistral-7B-v0.1")),
    ("https://huggingface.co/openai/whisper-small/tree/main", ("model", "openai/whisper-small")),
    ("hf.co/datasets/HuggingFaceFW/fineweb", ("dataset", "HuggingFaceFW/fineweb")),
    ("https://huggingface.co/spaces/alice/demo?logs=container", ("space", "alice/demo")),
    ("datasets/rajpurkar/squad", ("dataset", "rajpurkar/squad")),
])
def test_a_hub_id_or_url_is_understood(text, expected):
    ref = parse_ref(text)
    assert (ref.repo_type, ref.repo_id) == expected


@pytest.mark.parametrize("text", ["", "https://github.com/a/b", "a/b/c/d", "bad name/x", "org/--x", "../etc"])
def test_something_that_is_not_a_hub_id_is_refused(text):
    with pytest.raises(ValueError):
        parse_ref(text)
