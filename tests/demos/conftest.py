"""Tiny random models in a Hub cache of their own, and demos of them on showcase projects."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from meetup.demos.models import Demo
from tests.fakes.tasks import published  # noqa: F401
from tests.showcase.factories import HubModelFactory, LinkFactory

REPOS = {"gpt2": "meetup-test/tiny-gpt2", "bert": "meetup-test/tiny-bert",
         "bert-classifier": "meetup-test/tiny-bert-sentiment"}
KIND_OF_TASK = {"text-generation": "gpt2", "fill-mask": "bert", "feature-extraction": "bert",
                "sentence-similarity": "bert", "text-classification": "bert-classifier"}


@dataclass
class TinyHub:
    cache: Path
    shas: dict  # kind -> sha


@pytest.fixture(scope="session")
def tiny_hub(tmp_path_factory) -> TinyHub:
    """GPT-2 and BERT shapes with a word-level tokenizer, saved as the Hub cache keeps them. The
    GPT-2 has room for 8,000 new tokens, enough to run past a short time limit."""
    from meetup.demos.tiny import tiny_model_store

    cache = tmp_path_factory.mktemp("hub-cache")
    shas = {kind: tiny_model_store(cache_dir=cache, repo_id=repo, kind=kind,
                                   n_positions=8200 if kind == "gpt2" else 128)
            for kind, repo in REPOS.items()}
    return TinyHub(cache=cache, shas=shas)


@pytest.fixture
def model_cache(tiny_hub, settings):
    settings.DEMO_MODEL_CACHE = str(tiny_hub.cache)
    return tiny_hub


@pytest.fixture
def make_demo(tiny_hub):
    """A project linked to a tiny model, with a demo of it: `make_demo("fill-mask", enabled=False)`."""

    def make(task: str = "text-generation", *, project=None, enabled: bool = True, **fields) -> Demo:
        kind = KIND_OF_TASK[task]
        hub_model = HubModelFactory._meta.model.objects.filter(repo_id=REPOS[kind]).first() or HubModelFactory(
            repo_id=REPOS[kind], sha=tiny_hub.shas[kind], pipeline_tag=task)
        link = LinkFactory(hub_model=hub_model, **({"project": project} if project else {}))
        fields.setdefault("revision", tiny_hub.shas[kind])
        return Demo.objects.create(project=link.project, hub_model=hub_model, task=task, enabled=enabled, **fields)

    return make
