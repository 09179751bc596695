"""The unsubscribe page shows nothing personal but the masked address, and links expire (hole 11)."""

from datetime import timedelta

import time_machine
from django.core import signing
from django.utils import timezone

from meetup.broadcasts import render
from tests.factories import UserFactory


def test_the_unsubscribe_page_opened_signed_out_does_not_look_signed_in_as_the_link_owner(client, db):
    owner = UserFactory(display_name="Nora Quill", email="nora.quill@example.org")

    page = client.get(f"/u/{render.unsubscribe_token(owner)}/").content.decode()

    assert "Nora Quill" not in page and "My tickets" not in page and "Sign out" not in page
    assert "nora.quill@example.org" not in page and "n*********@example.org" in page


def test_an_unsubscribe_link_expires_after_a_year(client, db):
    owner = UserFactory()
    token = render.unsubscribe_token(owner)

    with time_machine.travel(timezone.now() + timedelta(days=366)):
        assert client.get(f"/u/{token}/").status_code == 404


def test_an_old_link_without_a_time_is_refused(client, db):
    owner = UserFactory()
    old = signing.Signer(salt=render.UNSUBSCRIBE_SALT).sign(str(owner.pk))

    assert client.get(f"/u/{old}/").status_code == 404
