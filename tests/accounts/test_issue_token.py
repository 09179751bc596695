from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetup.accounts.roles import is_organiser


def _issue(*args) -> str:
    out = StringIO()
    call_command("issue_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()[-1]


def test_it_prints_a_working_token_on_its_last_line(client, attendee):
    key = _issue("alice")

    response = client.get("/api/me", headers={"Authorization": f"Bearer {key}"})

    assert response.json()["username"] == "alice"


def test_it_grants_the_organiser_role_when_asked(attendee):
    _issue("--organiser", "alice")

    attendee.refresh_from_db()
    assert is_organiser(attendee)


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        _issue("nobody")
