"""API error details follow Accept-Language; the error codes do not."""

from meetup.accounts.services import api_token_issue


def test_error_details_are_in_the_callers_language(client, attendee):
    _token, key = api_token_issue(user=attendee)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    english = client.patch("/api/me", {"phone": "12"}, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="en", **auth)
    french = client.patch("/api/me", {"phone": "12"}, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="fr", **auth)

    assert english.status_code == french.status_code == 400
    assert english.json()["error"] == french.json()["error"] == "invalid"
    assert "Enter a valid phone number" in english.json()["detail"]
    assert "Saisissez un numéro de téléphone valide" in french.json()["detail"]
    anonymous = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="fr")
    assert anonymous.status_code == 401 and anonymous.json()["detail"].startswith("Envoyez")
