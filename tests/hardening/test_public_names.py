"""A sign-up's email never becomes public through their username (hole 4)."""

import importlib
import re

from django.apps import apps as django_apps

from meetup.accounts.models import User
from tests.factories import PASSWORD, UserFactory


def test_a_sign_up_gets_a_generated_handle_not_the_local_part_of_their_email(client, db, smtp_inbox):
    client.post("/accounts/signup/", {"email": "nora.secret@example.org", "password1": PASSWORD})

    user = User.objects.get(email="nora.secret@example.org")
    assert re.fullmatch(r"user-[0-9a-f]{6}", user.username)
    assert "nora" not in user.public_name


def test_existing_usernames_equal_to_the_email_local_part_become_handles(db):
    leaky = UserFactory(username="nora", email="nora@example.org")
    numbered = UserFactory(username="nora.b2", email="Nora.B@example.org")
    chosen = UserFactory(username="hubfan", email="sam@example.org")
    migration = importlib.import_module("meetup.accounts.migrations.0007_i14_handles_not_email")

    migration.email_usernames_to_handles(django_apps, None)

    for user in (leaky, numbered):
        user.refresh_from_db()
        assert re.fullmatch(r"user-[0-9a-f]{6}", user.username)
    chosen.refresh_from_db()
    assert chosen.username == "hubfan"
