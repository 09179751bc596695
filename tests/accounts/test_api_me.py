import pytest

from meetup.accounts.models import ConsentRecord


def test_it_shows_the_callers_own_profile(api, attendee, organiser):
    response = api(attendee).get("/api/me")

    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["email"], body["is_organiser"]) == ("alice", "alice@example.org", False)
    assert api(organiser).get("/api/me").json()["username"] == "olivia"


def test_it_answers_401_json_without_a_token(api, db):
    response = api(None).get("/api/me")

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_it_answers_401_for_an_unknown_or_revoked_token(client, attendee):
    from meetup.accounts.services import api_token_issue, api_token_revoke

    token, key = api_token_issue(user=attendee)
    api_token_revoke(user=attendee, token_id=token.pk)

    for header in (f"Bearer {key}", "Bearer mtk_not-a-real-token", "Token abc"):
        response = client.get("/api/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert set(response.json()) >= {"error", "detail"}


def test_it_saves_a_phone_in_e164_and_records_sms_consent(api, attendee):
    response = api(attendee).patch("/api/me", {"phone": "+1 (415) 555-0123", "sms_opt_in": True})

    assert response.status_code == 200
    assert response.json()["phone"] == "+14155550123"
    attendee.refresh_from_db()
    assert (str(attendee.phone), attendee.sms_opt_in) == ("+14155550123", True)
    record = ConsentRecord.objects.get(user=attendee, channel="sms")
    assert (record.granted, record.source, record.address) == (True, "api", "+14155550123")
    assert "Reply STOP to opt out" in record.wording


def test_it_appends_one_ledger_row_per_consent_change(api, attendee):
    caller = api(attendee)
    caller.patch("/api/me", {"email_opt_in": False})
    caller.patch("/api/me", {"email_opt_in": False})  # no change, no row
    caller.patch("/api/me", {"email_opt_in": True})

    rows = list(ConsentRecord.objects.filter(user=attendee).order_by("id").values_list("channel", "granted"))
    assert rows == [("email", False), ("email", True)]


def test_it_revokes_sms_consent_when_the_phone_number_changes(api, attendee):
    caller = api(attendee)
    caller.patch("/api/me", {"phone": "+14155550123", "sms_opt_in": True})

    response = caller.patch("/api/me", {"phone": "+442079460000"})

    assert response.json()["sms_opt_in"] is False
    last = ConsentRecord.objects.filter(user=attendee, channel="sms").first()
    assert (last.granted, last.address) == (False, "+14155550123")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"phone": "555-0123"}, "phone"),
        ({"phone": "+1 999 000"}, "phone"),
        ({"phone": 14155550123}, "phone"),
        ({"sms_opt_in": "yes"}, "sms_opt_in"),
        ({"email_opt_in": None}, "email_opt_in"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": ["a"]}, "display_name"),
        ({"is_staff": True}, "is_staff"),
        ({"sms_opt_in": True}, "sms_opt_in"),  # no phone yet
    ],
)
def test_it_rejects_bad_input_with_400_and_saves_nothing(api, attendee, payload, field):
    response = api(attendee).patch("/api/me", {"display_name": "Changed", **payload})

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert field in body["fields"]
    assert field in body["detail"]
    attendee.refresh_from_db()
    assert (attendee.display_name, attendee.phone, attendee.sms_opt_in, attendee.is_staff) == (
        "Alice", None, False, False)
    assert not ConsentRecord.objects.filter(user=attendee).exists()


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', ""])
def test_it_rejects_a_body_that_is_not_a_json_object(api, attendee, raw):
    response = api(attendee).patch("/api/me", raw=raw)

    assert response.status_code == 400
    assert set(response.json()) >= {"error", "detail"}


def test_it_rejects_a_phone_already_used_by_another_account(api, attendee, stranger):
    api(stranger).patch("/api/me", {"phone": "+14155550123"})

    response = api(attendee).patch("/api/me", {"phone": "+14155550123"})

    assert response.status_code == 400
    assert "another account" in response.json()["detail"]


def test_it_answers_unknown_api_paths_with_json_404(client, db):
    response = client.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_it_publishes_an_openapi_schema_and_docs(client, db):
    schema = client.get("/api/openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert {"get", "patch"} <= set(schema["paths"]["/api/me"])
    assert client.get("/api/docs").status_code == 200


def test_it_lets_the_session_cookie_read_the_api(client, attendee):
    client.force_login(attendee)

    assert client.get("/api/me").json()["username"] == "alice"


def test_a_token_records_when_it_was_last_used(client, attendee):
    from meetup.accounts.models import ApiToken
    from meetup.accounts.services import api_token_issue

    token, key = api_token_issue(user=attendee)
    client.get("/api/me", headers={"Authorization": f"Bearer {key}"})

    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_deactivated_users_token_stops_working(client, attendee):
    from meetup.accounts.services import api_token_issue

    _, key = api_token_issue(user=attendee)
    attendee.is_active = False
    attendee.save()

    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


@pytest.mark.parametrize("handle", ["bad handle", "a/b", "-lead", "x" * 97, "nul\x00"])
def test_a_hub_username_that_the_hub_would_refuse_is_a_400(api, attendee, handle):
    response = api(attendee).patch("/api/me", {"hub_username": handle})

    assert response.status_code == 400
    attendee.refresh_from_db()
    assert attendee.hub_username == ""


def test_the_hub_username_is_set_and_shown(api, attendee):
    response = api(attendee).patch("/api/me", {"hub_username": "@alice-hf"})

    assert response.status_code == 200 and response.json()["hub_username"] == "alice-hf"
