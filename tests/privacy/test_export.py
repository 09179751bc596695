import io
import json
import zipfile

from tests.privacy.conftest import ZENOBIA, ZENOBIA_PHONE

SECTIONS = ["profile", "consent_ledger", "rsvps", "answers", "tickets", "messages", "projects", "comments", "likes",
            "collections", "applications", "audit_log", "reports", "event_roles"]


def _archive(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name.removesuffix(".json"): archive.read(name).decode() for name in archive.namelist()}


def test_the_export_holds_every_kind_of_record_of_the_person(world, api):
    files = _archive(api(world.person).get("/api/me/export"))

    for section in SECTIONS:
        assert json.loads(files[section]), f"{section} is empty"
    profile = json.loads(files["profile"])[0]
    assert profile["email"] == ZENOBIA["email"] and profile["phone"] == ZENOBIA_PHONE
    assert {r["channel"] for r in json.loads(files["consent_ledger"])} == {"sms", "email"}
    assert {r["event"] for r in json.loads(files["rsvps"])} == {"Tiny room", "Last month"}
    assert {r["event"] for r in json.loads(files["tickets"])} == {"Tiny room", "Last month"}
    assert [(a["question"], a["answer"]) for a in json.loads(files["answers"])] == [
        ("Dietary needs", "Zenobia Quark: no nuts")]
    assert {m["kind"] for m in json.loads(files["messages"])} >= {"rsvp", "team"}
    assert {p["title"] for p in json.loads(files["projects"])} == {"Zen garden", "Brunos bench"}
    assert json.loads(files["comments"])[0]["body"] == "Lovely work on the eval."
    assert json.loads(files["likes"])[0]["project__slug"] == world.theirs.slug
    assert json.loads(files["collections"])[0]["projects"] == [world.theirs.slug]
    assert json.loads(files["applications"])[0]["startup_name"] == "Calm Labs"
    assert json.loads(files["audit_log"])[0]["action"] == "capacity"


def test_the_export_holds_nothing_of_anyone_else(world, api):
    files = _archive(api(world.person).get("/api/me/export"))

    everything = "\n".join(files.values()).lower()
    for trace in ("bruno.brun@example.com", "brunobrun", "bruno brun", "bench co", "bruno was here", "rice for bruno",
                  "olivia", world.waiting.ticket_code.lower()):
        assert trace not in everything


def test_the_export_needs_a_signed_in_person(api, db):
    response = api(None).get("/api/me/export")

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_the_export_is_rate_limited(api, attendee):
    caller = api(attendee)
    statuses = [caller.get("/api/me/export").status_code for _ in range(6)]

    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429


def test_the_your_data_page_offers_the_download(client, attendee):
    client.force_login(attendee)

    page = client.get("/profile/data/")
    download = client.get("/profile/data/export/")

    assert page.status_code == 200 and b"Download my data" in page.content
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert b"/profile/data/" in client.get("/profile/").content


def test_the_language_of_messages_is_part_of_the_profile(api, attendee):
    response = api(attendee).patch("/api/me", {"language": "fr"})
    refused = api(attendee).patch("/api/me", {"language": "xx"})

    assert response.status_code == 200 and response.json()["language"] == "fr"
    assert refused.status_code == 400


def test_the_footer_switches_the_language_of_pages(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    assert response.status_code == 302
    assert '<html lang="fr">' in client.get("/").content.decode()
