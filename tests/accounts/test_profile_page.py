from meetup.accounts.models import ApiToken, ConsentRecord


def _form(**overrides):
    return {"display_name": "Alice L.", "phone": "", "email_opt_in": "on", **overrides}


def test_it_asks_strangers_to_sign_in(client, db):
    response = client.get("/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_saves_the_profile_and_records_consent(client, attendee):
    client.force_login(attendee)

    response = client.post("/profile/", _form(phone="+33 6 12 34 56 78", sms_opt_in="on"), follow=True)

    assert b"Profile saved." in response.content
    attendee.refresh_from_db()
    assert (attendee.display_name, str(attendee.phone), attendee.sms_opt_in) == ("Alice L.", "+33612345678", True)
    record = ConsentRecord.objects.get(user=attendee)
    assert (record.channel, record.granted, record.source) == ("sms", True, "profile")


def test_it_shows_a_bad_phone_next_to_the_field_and_saves_nothing(client, attendee):
    client.force_login(attendee)

    response = client.post("/profile/", _form(phone="12345", sms_opt_in="on"))

    assert response.status_code == 200
    assert "Enter a valid phone number" in response.content.decode()
    attendee.refresh_from_db()
    assert (attendee.display_name, attendee.phone, attendee.sms_opt_in) == ("Alice", None, False)
    assert not ConsentRecord.objects.exists()


def test_it_refuses_text_messages_without_a_phone(client, attendee):
    client.force_login(attendee)

    response = client.post("/profile/", _form(sms_opt_in="on"))

    assert "Add a phone number before turning on text messages." in response.content.decode()
    attendee.refresh_from_db()
    assert attendee.sms_opt_in is False


def test_it_shows_a_new_token_once_and_stores_only_its_hash(client, attendee):
    client.force_login(attendee)

    page = client.post("/profile/tokens/", {"name": "door laptop"}, follow=True).content.decode()
    key = page.split('data-testid="new-token">', 1)[1].split("<", 1)[0]

    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert ApiToken.objects.get().key_hash == ApiToken.hash(key)
    assert key not in client.get("/profile/").content.decode()


def test_it_revokes_only_the_callers_tokens(client, attendee, stranger):
    from meetup.accounts.services import api_token_issue

    theirs, _ = api_token_issue(user=stranger)
    client.force_login(attendee)

    client.post(f"/profile/tokens/{theirs.pk}/revoke/")

    assert ApiToken.objects.filter(pk=theirs.pk).exists()
