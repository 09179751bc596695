"""Signed tickets: valid codes verify; altered, re-signed with another key, other events' and
revoked codes are refused online (check-in API) and offline (sync, and the JS verifier's vectors)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from meetup.events import services, signing
from meetup.events.models import RSVP, EventKey
from tests.door.vectors import vectors
from tests.factories import EventFactory, going

VERIFY_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "door-verify.js"


def altered(code: str) -> str:
    head, sig = code.rsplit(".", 1)
    return f"{head}.{sig[:10]}{'A' if sig[10] != 'A' else 'B'}{sig[11:]}"


def other_id(code: str) -> str:
    prefix, event_id, rsvp_id, sig = code.split(".")
    return f"{prefix}.{event_id}.{int(rsvp_id) + 1}.{sig}"


def resigned(code: str) -> str:
    _, event_id, rsvp_id, _ = code.split(".")
    return signing.sign(int(event_id), int(rsvp_id), Ed25519PrivateKey.generate())


def test_a_signed_code_names_its_ticket_and_fits_a_small_qr(event, tickets):
    code = signing.ticket_code(tickets[0])

    assert code.startswith(f"M1.{event.pk}.{tickets[0].pk}.")
    assert len(code) <= 120
    assert signing.verify(event, code).rsvp_id == tickets[0].pk


def test_each_event_has_its_own_key_kept_encrypted(event, tickets):
    other = EventFactory()
    signing.ticket_code(tickets[0])
    signing.public_key_bytes(other)

    first, second = EventKey.objects.get(event=event), EventKey.objects.get(event=other)
    assert bytes(first.public_key) != bytes(second.public_key)
    private = signing._private_key(event).private_bytes_raw()
    assert first.private_key_encrypted.startswith("gAAAA")  # a Fernet token
    assert signing.b64url(private) not in first.private_key_encrypted
    assert private.hex() not in first.private_key_encrypted


@pytest.mark.parametrize("forge", [altered, other_id, resigned], ids=["altered", "other_rsvp", "other_key"])
def test_forged_codes_do_not_verify(event, tickets, forge):
    assert signing.verify(event, forge(signing.ticket_code(tickets[0]))).rsvp_id is None


def test_another_events_code_does_not_verify(event, tickets):
    other = EventFactory()
    elsewhere = going(other, 1)[0]

    assert signing.verify(event, signing.ticket_code(elsewhere)).reason == "other_event"


@pytest.mark.parametrize("forge", [altered, other_id, resigned], ids=["altered", "other_rsvp", "other_key"])
def test_forged_codes_are_refused_online(api, organiser, event, tickets, forge):
    response = api(organiser).post(f"/api/events/{event.slug}/checkins",
                                   {"code": forge(signing.ticket_code(tickets[0]))})

    assert response.status_code == 404
    assert not RSVP.objects.filter(event=event, checked_in_at__isnull=False).exists()


def test_another_events_code_is_refused_online(api, organiser, event, tickets):
    other = EventFactory()
    other.organisers.add(organiser)
    elsewhere = going(other, 1)[0]

    response = api(organiser).post(f"/api/events/{event.slug}/checkins", {"code": signing.ticket_code(elsewhere)})

    assert response.status_code == 404
    assert RSVP.objects.get(pk=elsewhere.pk).checked_in_at is None


def test_a_cancelled_tickets_code_is_refused_online_and_listed_as_revoked(api, organiser, event, tickets):
    code = signing.ticket_code(tickets[0])
    services.rsvp_cancel(event=event, user=tickets[0].user)

    response = api(organiser).post(f"/api/events/{event.slug}/checkins", {"code": code})

    assert response.status_code == 409 and response.json()["error"] == "not_going"
    door_data = api(organiser).get(f"/api/events/{event.slug}/door-data").json()
    assert tickets[0].pk in door_data["revocations"]
    assert tickets[0].pk not in [t["id"] for t in door_data["tickets"]]


def test_a_valid_signed_code_checks_in_online_once(api, organiser, event, tickets):
    code = signing.ticket_code(tickets[1])

    first = api(organiser).post(f"/api/events/{event.slug}/checkins", {"code": code})
    again = api(organiser).post(f"/api/events/{event.slug}/checkins", {"code": code})

    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["status"] == "already_checked_in"


def test_plain_codes_keep_working_online(api, organiser, event, tickets):
    response = api(organiser).post(f"/api/events/{event.slug}/checkins", {"code": tickets[2].ticket_code})

    assert response.status_code == 201


@pytest.mark.parametrize("forge", [altered, other_id, resigned], ids=["altered", "other_rsvp", "other_key"])
def test_forged_and_revoked_codes_are_refused_in_a_sync(api, organiser, event, tickets, forge):
    services.rsvp_cancel(event=event, user=tickets[3].user)
    scans = [{"code": forge(signing.ticket_code(tickets[0])), "scanned_at": "2026-12-02T19:00:00+00:00",
              "scan_id": "forged-1"},
             {"code": signing.ticket_code(tickets[3]), "scanned_at": "2026-12-02T19:00:01+00:00",
              "scan_id": "revoked-1"}]

    response = api(organiser).post(f"/api/events/{event.slug}/checkins/sync", {"scans": scans})

    assert response.status_code == 200
    assert [r["outcome"] for r in response.json()["results"]] == ["invalid", "revoked"]
    assert not RSVP.objects.filter(event=event, checked_in_at__isnull=False).exists()


@pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js 20+")
def test_the_js_verifier_under_node_agrees_with_python(event, tmp_path):
    cases, public_key = vectors(event)
    script = tmp_path / "check.js"
    script.write_text(
        f"const v = require({json.dumps(str(VERIFY_JS))});\n"
        f"const cases = {json.dumps(cases)};\n"
        f"Promise.all(cases.map(c => v.verify({json.dumps(public_key)}, {event.pk}, c.code)))"
        ".then(r => console.log(JSON.stringify(r.map(x => x.ok))));\n")

    out = subprocess.run(["node", str(script)], capture_output=True, text=True, check=True, timeout=60).stdout

    assert json.loads(out) == [c["valid"] for c in cases]
    assert json.loads(out) == [signing.verify(event, c["code"]).rsvp_id is not None for c in cases]


def test_an_online_scan_by_door_staff_is_three_queries(api, event, tickets, door_staff, django_assert_num_queries):
    caller = api(door_staff)
    caller.post(f"/api/events/{event.slug}/checkins", {"code": signing.ticket_code(tickets[0])})  # loads the key
    code = signing.ticket_code(tickets[1])

    with django_assert_num_queries(3):  # the token, the event with the caller's roles, the check-in statement
        response = caller.post(f"/api/events/{event.slug}/checkins", {"code": code})

    assert response.status_code == 201


def test_my_tickets_and_the_ticket_email_carry_the_signed_code(client, event, tickets, settings):
    from meetup.events import notifications
    from meetup.events import tickets as ticket_media

    rsvp = RSVP.objects.select_related("event", "user").get(pk=tickets[0].pk)
    client.force_login(rsvp.user)

    page = client.get("/tickets/").content.decode()
    email = notifications.rsvp_email(event=event, user=rsvp.user, kind="going")

    assert ticket_media.qr_svg(signing.ticket_code(rsvp)) in page
    images = [part.get_payload(decode=True) for part in email.message().walk()
              if part.get_content_type() == "image/png"]
    assert ticket_media.qr_png(signing.ticket_code(rsvp)) in images


def test_tickets_stay_valid_when_the_secret_key_rotates(event, tickets, settings):
    code = signing.ticket_code(tickets[0])
    signing._KEYS.clear()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-" + "y" * 40

    assert signing.ticket_code(tickets[0]) == code
