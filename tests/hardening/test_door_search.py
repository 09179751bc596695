"""Door staff find people by name or ticket code only, never by part of an email (hole 6)."""

from django.urls import reverse

from tests.factories import EventFactory, RSVPFactory, UserFactory


def _door(client):
    event = EventFactory()
    door = UserFactory()
    event.door_staff.add(door)
    client.force_login(door)
    return event


def test_door_staff_cannot_confirm_an_email_address_by_substring(client, db):
    event = _door(client)
    RSVPFactory(event=event, user=UserFactory(display_name="Nora Quill", email="someone@example.net"))

    by_email = client.get(reverse("door_search", args=[event.slug]), {"q": "someone@exa"})
    by_name = client.get(reverse("door_search", args=[event.slug]), {"q": "quill"})

    assert "Nora Quill" not in by_email.content.decode()
    assert "Nora Quill" in by_name.content.decode()


def test_door_search_finds_a_ticket_by_its_code(client, db):
    event = _door(client)
    rsvp = RSVPFactory(event=event, user=UserFactory(display_name="Nora Quill"))

    response = client.get(reverse("door_search", args=[event.slug]), {"q": rsvp.ticket_code[:6]})

    assert "Nora Quill" in response.content.decode()


def test_door_search_is_rate_limited(client, db):
    event = _door(client)

    codes = [client.get(reverse("door_search", args=[event.slug]), {"q": f"n{i}"}).status_code for i in range(121)]

    assert codes[:120] == [200] * 120 and codes[120] == 429
