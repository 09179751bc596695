"""`manage.py prefetch_demo_models`: the one place that downloads model files."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_it_refuses_to_run_offline(monkeypatch, make_demo):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    make_demo("text-generation")

    with pytest.raises(CommandError, match="HF_HUB_OFFLINE"):
        call_command("prefetch_demo_models")


def test_it_fetches_nothing_when_no_demo_is_enabled(monkeypatch, make_demo, capsys):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    make_demo("text-generation", enabled=False)

    call_command("prefetch_demo_models")

    assert "nothing to fetch" in capsys.readouterr().out
