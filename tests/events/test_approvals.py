"""Approval-based registration: requested RSVPs hold no seat, approvals place under the
never-overbook rule (raced on PostgreSQL against cancellations and new RSVPs, with a naive
control that oversells), invited people skip approval, decisions are audited and told by email."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from meetup.audit.models import AuditEntry
from meetup.broadcasts.models import Delivery
from meetup.events import services
from meetup.events.models import RSVP
from tests.concurrency import race
from tests.factories import EventFactory, UserFactory


def rsvp(event, user, **kwargs):
    return services.rsvp_create(event=event, user=user, accept_code_of_conduct=True, **kwargs)[0]


def seats_taken(event):
    return sum(event.shards.values_list("taken", flat=True))


@pytest.fixture
def event(organiser):
    event = EventFactory(capacity=2, requires_approval=True)
    event.organisers.add(organiser)
    return event


@pytest.mark.django_db
class TestRequests:
    def test_rsvps_on_an_approval_event_are_requested_and_hold_no_seat(self, event):
        requested = [rsvp(event, u) for u in UserFactory.create_batch(5)]

        assert {r.status for r in requested} == {"requested"}
        assert seats_taken(event) == 0

    def test_approval_takes_a_seat_then_waitlists_when_full(self, api, organiser, event):
        first, second, third = (rsvp(event, u) for u in UserFactory.create_batch(3))

        statuses = [api(organiser).post(f"/api/events/{event.slug}/rsvps/{r.pk}/approve", {}).json()["status"]
                    for r in (first, second, third)]

        assert statuses == ["going", "going", "waitlisted"]
        assert seats_taken(event) == 2
        again = api(organiser).post(f"/api/events/{event.slug}/rsvps/{first.pk}/approve", {})
        assert again.status_code == 409 and again.json()["error"] == "not_requested"

    def test_a_decline_is_audited_and_emailed_with_the_message(self, api, organiser, event):
        requested = rsvp(event, UserFactory())

        response = api(organiser).post(f"/api/events/{event.slug}/rsvps/{requested.pk}/decline",
                                       {"message": "Sorry, full of speakers."})

        assert response.json() == {"id": requested.pk, "status": "declined"}
        assert AuditEntry.objects.filter(action="decline", event=event).count() == 1
        delivery = Delivery.objects.get(user=requested.user, template="declined")
        from meetup.events.notifications import rsvp_email_for

        message = rsvp_email_for(delivery)
        assert "Sorry, full of speakers." in message.body and requested.user.email in message.to

    def test_an_approval_is_audited_and_owed_its_ticket_email(self, api, organiser, event):
        requested = rsvp(event, UserFactory())

        api(organiser).post(f"/api/events/{event.slug}/rsvps/{requested.pk}/approve", {"message": "Welcome!"})

        requested.refresh_from_db()
        assert requested.status == "going" and requested.notified_status == "" and requested.decision_note
        assert AuditEntry.objects.filter(action="approval", event=event).count() == 1

    def test_bulk_decisions_through_the_api_and_the_page(self, api, client, organiser, event):
        requested = [rsvp(event, u) for u in UserFactory.create_batch(4)]

        outcome = api(organiser).post(f"/api/events/{event.slug}/rsvps/decisions", {
            "rsvp_ids": [requested[0].pk, requested[1].pk, requested[2].pk], "decision": "approve"}).json()
        client.force_login(organiser)
        client.post(f"/events/{event.slug}/rsvps/decide/", {"rsvp": [requested[3].pk], "decision": "decline",
                                                            "message": "Next time!"})

        assert outcome == {"going": 2, "waitlisted": 1, "declined": 0, "skipped": 0}
        assert RSVP.objects.get(pk=requested[3].pk).status == "declined"
        assert seats_taken(event) == 2

    def test_the_manage_page_lists_requests_with_checkboxes(self, client, organiser, event):
        requested = rsvp(event, UserFactory())
        client.force_login(organiser)

        html = client.get(f"/events/{event.slug}/rsvps/?status=requested").content.decode()

        assert f'name="rsvp" value="{requested.pk}"' in html and 'value="approve"' in html

    def test_an_attendee_cannot_approve_and_another_organisers_ids_are_404(self, api, attendee, organiser, event):
        requested = rsvp(event, UserFactory())
        rival = UserFactory()
        from meetup.accounts.services import organiser_grant

        organiser_grant(user=rival)
        theirs = EventFactory(requires_approval=True)
        theirs.organisers.add(rival)

        assert api(attendee).post(f"/api/events/{event.slug}/rsvps/{requested.pk}/approve", {}).status_code == 403
        assert api(rival).post(f"/api/events/{theirs.slug}/rsvps/{requested.pk}/approve", {}).status_code == 404
        assert api(rival).post(f"/api/events/{theirs.slug}/rsvps/decisions", {
            "rsvp_ids": [requested.pk], "decision": "approve"}).json()["skipped"] == 1
        assert api(None).post(f"/api/events/{event.slug}/rsvps/{requested.pk}/approve", {}).status_code == 401
        assert api(organiser).post(f"/api/events/{event.slug}/rsvps/{2**63}/approve", {}).status_code in (400, 404)
        assert RSVP.objects.get(pk=requested.pk).status == "requested"

    def test_invited_people_skip_approval(self, api, organiser, event):
        by_email = UserFactory(email="guest@example.org")
        by_link, uninvited = UserFactory(), UserFactory()
        api(organiser).post(f"/api/events/{event.slug}/attendee-invites", {"emails": ["Guest@Example.org"]})
        url = api(organiser).post(f"/api/events/{event.slug}/invite-link", {}).json()["url"]
        token = url.split("invite=")[1]
        event.refresh_from_db()

        assert rsvp(event, by_email).status == "going"
        assert rsvp(event, by_link, invite=token).status == "going"
        assert rsvp(event, uninvited, invite="wrong").status == "requested"

    def test_the_invitation_link_is_remembered_by_the_event_page(self, client, organiser, event):
        token = services.invite_link_rotate(event=event)
        guest = UserFactory()
        client.force_login(guest)

        client.get(f"/events/{event.slug}/?invite={token}")
        client.post(f"/events/{event.slug}/rsvp/", {"accept_code_of_conduct": "on"})

        assert RSVP.objects.get(user=guest).status == "going"

    def test_a_cancelled_request_comes_back_as_a_request(self, event):
        user = UserFactory()
        rsvp(event, user)
        services.rsvp_cancel(event=event, user=user)

        assert rsvp(event, user).status == "requested"
        assert seats_taken(event) == 0


def naive_approve(rsvp_id, event):
    """The bug this design avoids: count going in Python, then approve."""
    with transaction.atomic():
        going = RSVP.objects.filter(event=event, status="going").count()
        time.sleep(0.005)
        status = "going" if going < event.capacity else "waitlisted"
        RSVP.objects.filter(pk=rsvp_id, status="requested").update(status=status, created_at=timezone.now())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestApprovalRacesOnPostgreSQL:
    def test_control_naive_approvals_overbook(self):
        event = EventFactory(capacity=5, requires_approval=True)
        requested = [rsvp(event, u) for u in UserFactory.create_batch(40)]

        race(40, lambda i: naive_approve(requested[i].pk, event))

        assert RSVP.objects.filter(event=event, status="going").count() > 5

    def test_approvals_racing_cancellations_and_new_rsvps_never_overbook(self, organiser):
        event = EventFactory(capacity=10, requires_approval=True)
        invited = UserFactory.create_batch(30)
        services.attendee_invites_add(event=event, emails=[u.email for u in invited])
        going = [rsvp(event, u) for u in UserFactory.create_batch(10)]
        for r in going:  # fill the room through approvals first
            services.rsvp_approve(rsvp=r, actor=organiser)
        requested = [rsvp(event, u) for u in UserFactory.create_batch(30)]
        assert seats_taken(event) == 10

        def work(i):
            if i < 30:
                return services.rsvp_approve(rsvp=requested[i], actor=organiser)
            if i < 40:
                return services.rsvp_cancel(event=event, user=going[i - 30].user).status
            return rsvp(event, invited[i - 40]).status

        race(70, work)

        going_now = RSVP.objects.filter(event=event, status="going").count()
        assert going_now == seats_taken(event) <= 10
        assert going_now == 10  # the seats freed went to someone
        assert not RSVP.objects.filter(event=event, status="requested").exists()
        # 30 approved and 30 invited arrived; 10 left: 10 going, the other 50 wait in line.
        assert RSVP.objects.filter(event=event, status="waitlisted").count() == 50

    def test_requested_rsvps_in_a_surge_take_no_seats(self):
        event = EventFactory(capacity=3, requires_approval=True)
        users = UserFactory.create_batch(30)

        race(30, lambda i: rsvp(event, users[i]).status)

        assert RSVP.objects.filter(event=event, status="requested").count() == 30
        assert seats_taken(event) == 0


@pytest.mark.django_db
class TestAttackers:
    def test_door_staff_cannot_decide(self, api, event):
        door = UserFactory()
        event.door_staff.add(door)
        requested = rsvp(event, UserFactory())

        assert api(door).post(f"/api/events/{event.slug}/rsvps/{requested.pk}/decline", {}).status_code == 403
        assert api(door).post(f"/api/events/{event.slug}/rsvps/decisions", {
            "rsvp_ids": [requested.pk], "decision": "approve"}).status_code == 403

    @pytest.mark.parametrize("body", [
        {"rsvp_ids": ["1"], "decision": "approve"}, {"rsvp_ids": [], "decision": "approve"},
        {"rsvp_ids": [1], "decision": "maybe"}, {"rsvp_ids": [2**70], "decision": "approve"},
        {"rsvp_ids": [1], "decision": "approve", "message": "x" * 1001},
        {"rsvp_ids": [1], "decision": "approve", "extra": 1},
    ])
    def test_bad_bulk_bodies_are_400(self, api, organiser, event, body):
        assert api(organiser).post(f"/api/events/{event.slug}/rsvps/decisions", body).status_code == 400

    def test_a_message_with_nul_bytes_is_refused_and_decides_nothing(self, api, organiser, event):
        requested = rsvp(event, UserFactory())

        response = api(organiser).post(f"/api/events/{event.slug}/rsvps/{requested.pk}/decline",
                                       {"message": "no\x00pe"})

        assert response.status_code == 400 and list(response.json()["fields"]) == ["message"]
        assert RSVP.objects.get(pk=requested.pk).status == "requested"

    def test_an_attendee_cannot_invite_themselves_past_approval(self, api, attendee, event):
        assert api(attendee).post(f"/api/events/{event.slug}/attendee-invites",
                                  {"emails": [attendee.email]}).status_code == 403
        assert api(attendee).post(f"/api/events/{event.slug}/invite-link", {}).status_code == 403
        assert rsvp(event, attendee, invite="").status == "requested"


@pytest.mark.django_db
def test_decisions_reach_people_once_through_the_outbox(event, organiser, smtp_inbox):
    from tests.outbox import deliver_all

    approved_user, declined_user = UserFactory(email="yes@example.org"), UserFactory(email="no@example.org")
    approved, declined = rsvp(event, approved_user), rsvp(event, declined_user)
    assert deliver_all() == 0  # a request is not told anything yet

    services.rsvp_approve(rsvp=approved, actor=organiser, note="See you at the side door.")
    services.rsvp_decline(rsvp=declined, actor=organiser, note="We are over capacity, sorry.")
    sent = [deliver_all(), deliver_all()]

    assert sent == [2, 0]
    ticket = smtp_inbox.last_text("yes@example.org")
    assert approved.ticket_code in ticket and "See you at the side door." in ticket
    assert "We are over capacity, sorry." in smtp_inbox.last_text("no@example.org")
    assert len(smtp_inbox.to("no@example.org")) == 1
