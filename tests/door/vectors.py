"""The same signature test vectors for the Python verifier and the JS one (Chromium and Node)."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from meetup.events import signing
from tests.factories import EventFactory, going


def vectors(event):
    """(cases, public key): each case is a code and whether it is valid for `event`."""
    rsvp = going(event, 1)[0]
    good = signing.ticket_code(rsvp)
    head, sig = good.rsplit(".", 1)
    other_event = EventFactory()
    elsewhere = signing.ticket_code(going(other_event, 1)[0])
    _, eid, rid, _ = good.split(".")
    cases = [
        {"code": good, "valid": True},
        {"code": f"{head}.{sig[:20]}{'B' if sig[20] == 'A' else 'A'}{sig[21:]}", "valid": False},  # altered signature
        {"code": f"M1.{eid}.{int(rid) + 1}.{sig}", "valid": False},  # another ticket's id
        {"code": signing.sign(int(eid), int(rid), Ed25519PrivateKey.generate()), "valid": False},  # another key
        {"code": elsewhere, "valid": False},  # another event's ticket
        {"code": good + "A", "valid": False},
        {"code": "M1.x.y.z", "valid": False},
    ]
    return cases, signing.b64url(signing.public_key_bytes(event))
