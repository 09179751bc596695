from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress

from meetup.broadcasts.models import Delivery
from meetup.events.models import Invitation
from meetup.events.services import team
from meetup.lib.errors import Refused
from tests.factories import UserFactory
from tests.outbox import deliver_all


@pytest.fixture
def invited(night, organiser, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = team.invitation_create(event=night, email="Dora@Example.org", role="door", invited_by=organiser)
    deliver_all()  # the email goes through the outbox once the invitation is saved
    return invitation


def test_an_invitation_emails_a_link_that_makes_door_staff(client, night, invited, smtp_inbox):
    dora = UserFactory(email="dora@example.org")
    link = smtp_inbox.last_text("dora@example.org").split("Accept (sign in or create an account with "
                                                           "dora@example.org): ")[1].split()[0]
    client.force_login(dora)

    response = client.post(link.removeprefix("http://127.0.0.1:8000"))

    assert response.status_code == 302 and response["Location"] == f"/events/{night.slug}/door/"
    assert list(night.door_staff.all()) == [dora]
    assert client.get(f"/events/{night.slug}/door/").status_code == 200
    assert client.get(f"/events/{night.slug}/dashboard/").status_code == 403


def test_a_co_organiser_invitation_grants_the_organiser_role(night, organiser):
    olga = UserFactory(email="olga@example.org")
    invitation = team.invitation_create(event=night, email="olga@example.org", role="organiser", invited_by=organiser)

    team.invitation_accept(token=invitation.token, user=olga)

    assert set(night.organisers.all()) == {organiser, olga}
    assert olga.has_perm("accounts.organise")


def test_an_invitation_works_only_for_the_invited_address(invited):
    with pytest.raises(Refused, match="for dora@example.org"):
        team.invitation_accept(token=invited.token, user=UserFactory(email="someone@example.org"))


def test_an_unverified_address_is_not_enough(invited):
    dora = UserFactory(email="dora@example.org")
    EmailAddress.objects.filter(user=dora).update(verified=False)

    with pytest.raises(Refused):
        team.invitation_accept(token=invited.token, user=dora)


def test_invitations_expire(invited):
    with time_machine.travel(invited.expires_at + timedelta(seconds=1)), pytest.raises(Refused, match="expired"):
        team.invitation_accept(token=invited.token, user=UserFactory(email="dora@example.org"))


def test_a_revoked_invitation_no_longer_works(invited, organiser):
    team.invitation_revoke(invitation=invited, actor=organiser)

    with pytest.raises(Refused, match="revoked"):
        team.invitation_accept(token=invited.token, user=UserFactory(email="dora@example.org"))


def test_an_invitation_works_once(invited):
    dora = UserFactory(email="dora@example.org")
    team.invitation_accept(token=invited.token, user=dora)

    with pytest.raises(Refused, match="accepted"):
        team.invitation_accept(token=invited.token, user=dora)


def test_the_last_organiser_cannot_be_removed(night, organiser):
    with pytest.raises(Refused, match="at least one organiser"):
        team.team_remove(event=night, user=organiser, role="organiser", actor=organiser)


def test_the_team_page_invites_and_shows_pending_invitations(client, night, organiser, smtp_inbox,
                                                             django_capture_on_commit_callbacks):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{night.slug}/team/", {"email": "new@example.org", "role": "door"},
                               follow=True)
    deliver_all()

    html = response.content.decode()
    assert "Invitation sent to new@example.org." in html and "pending" in html
    assert smtp_inbox.to("new@example.org")


def test_an_invitation_made_while_smtp_is_down_is_saved_and_emailed_once_when_smtp_returns(
        client, night, organiser, settings, django_capture_on_commit_callbacks):
    from aiosmtpd.controller import Controller

    from tests.conftest import Inbox, free_port

    port = free_port()  # nothing listens here yet: SMTP is down
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{night.slug}/team/", {"email": "late@example.org", "role": "door"},
                               follow=True)
    deliver_all()

    assert response.status_code == 200 and "Invitation sent to late@example.org." in response.content.decode()
    assert Invitation.objects.filter(email="late@example.org").exists()
    [delivery] = Delivery.objects.filter(address="late@example.org")
    assert delivery.status == "queued" and delivery.attempts == 1 and "Email provider trouble" in delivery.error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()  # SMTP is back
    try:
        with time_machine.travel(delivery.not_before + timedelta(seconds=1)):
            deliver_all()
            deliver_all()  # a second pass finds nothing more to send
    finally:
        controller.stop()

    assert [m["To"] for m in inbox.messages] == ["late@example.org"]
    assert "/invitations/" in inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    delivery.refresh_from_db()
    assert delivery.status == "sent"
