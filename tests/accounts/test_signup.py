import re

import pytest

from meetup.accounts.models import ConsentRecord, User
from tests.factories import PASSWORD

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", re.MULTILINE)


def _code_from(inbox, address) -> str:
    match = CODE.search(inbox.last_text(address))
    assert match, inbox.last_text(address)
    return match.group(1)


def test_it_signs_up_verifies_the_emailed_code_and_logs_in(client, db, smtp_inbox):
    response = client.post("/accounts/signup/", {"email": "nora@example.org", "password1": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.get(email="nora@example.org").emailaddress_set.get().verified

    response = client.post(response["Location"], {"code": _code_from(smtp_inbox, "nora@example.org")})

    assert response.status_code == 302
    assert User.objects.get(email="nora@example.org").emailaddress_set.get().verified
    assert client.get("/profile/").status_code == 200


def test_it_records_email_consent_with_its_wording_at_signup(client, db, smtp_inbox):
    client.post("/accounts/signup/", {"email": "nora@example.org", "password1": PASSWORD})

    record = ConsentRecord.objects.get(user__email="nora@example.org")
    assert (record.channel, record.granted, record.source) == ("email", True, "signup")
    assert "emails about events you RSVP to" in record.wording


def test_it_rejects_a_wrong_verification_code(client, db, smtp_inbox):
    response = client.post("/accounts/signup/", {"email": "nora@example.org", "password1": PASSWORD})

    response = client.post(response["Location"], {"code": "WRONG1"})

    assert response.status_code == 200
    assert b"Incorrect code" in response.content or b"incorrect" in response.content.lower()
    assert not User.objects.get(email="nora@example.org").emailaddress_set.get().verified


def test_it_logs_in_with_email_and_password(client, attendee):
    response = client.post("/accounts/login/", {"login": attendee.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/api/me").json()["username"] == attendee.username


def test_it_logs_in_by_emailed_code(client, attendee, smtp_inbox):
    response = client.post("/accounts/login/code/", {"email": attendee.email})
    assert response.status_code == 302

    response = client.post(response["Location"], {"code": _code_from(smtp_inbox, attendee.email)})

    assert response.status_code == 302
    assert client.get("/api/me").json()["username"] == attendee.username


def test_it_resets_a_password_through_the_emailed_link(client, attendee, smtp_inbox):
    client.post("/accounts/password/reset/", {"email": attendee.email})
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", smtp_inbox.last_text(attendee.email)).group(0)

    form_page = client.get(link.split("testserver", 1)[-1], follow=True)
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                           {"password1": "a brand new passphrase", "password2": "a brand new passphrase"})

    assert response.status_code == 302
    client.logout()
    response = client.post("/accounts/login/", {"login": attendee.email, "password": "a brand new passphrase"})
    assert response.status_code == 302


@pytest.mark.redis
def test_it_refuses_even_the_right_password_after_repeated_failed_logins(client, attendee):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": attendee.email, "password": "wrong"})
        assert b"Too many failed login attempts" not in response.content

    response = client.post("/accounts/login/", {"login": attendee.email, "password": PASSWORD})

    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.redis
def test_it_answers_429_when_one_address_keeps_posting_logins(client, db):
    statuses = [
        client.post("/accounts/login/", {"login": f"guess{i}@example.org", "password": "x"}).status_code
        for i in range(31)
    ]

    assert set(statuses[:30]) == {200}
    assert statuses[30] == 429


def test_social_sign_in_buttons_appear_only_when_configured(client, db, settings):
    assert b"GitHub" not in client.get("/accounts/login/").content

    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {"APPS": [{"client_id": "id", "secret": "secret"}]},
        "openid_connect": {"APPS": [{"provider_id": "huggingface", "name": "Hugging Face", "client_id": "id",
                                     "secret": "s", "settings": {"server_url": "https://huggingface.co"}}]},
    }
    page = client.get("/accounts/login/").content.decode()

    assert "GitHub" in page and "Hugging Face" in page
