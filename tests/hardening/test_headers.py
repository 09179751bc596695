"""Security headers: a strict Content-Security-Policy (no inline scripts), the camera only on the
door page, HSTS when configured (hole 15)."""

import re

from tests.factories import EventFactory


def test_pages_carry_a_strict_content_security_policy_and_no_inline_scripts(client, organiser):
    event = EventFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)

    for path in ["/", f"/events/{event.slug}/", f"/events/{event.slug}/door/", "/projects/"]:
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        page = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path  # every script from a file
        assert "hx-on" not in page and " onclick=" not in page


def test_the_camera_is_allowed_on_the_door_page_only(client, organiser):
    event = EventFactory()
    event.organisers.add(organiser)
    client.force_login(organiser)

    assert "camera=(self)" in client.get(f"/events/{event.slug}/door/")["Permissions-Policy"]
    assert "camera=()" in client.get(f"/events/{event.slug}/")["Permissions-Policy"]


def test_hsts_is_sent_over_https_when_configured(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
