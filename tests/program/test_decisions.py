"""Decisions reach every applicant once, by email through the broadcast outbox, however often
(or however concurrently) the send is triggered."""

import time

import pytest
import time_machine
from django.db import connection, transaction

from meetup.broadcasts.models import Broadcast, Delivery
from meetup.broadcasts.services import deliveries_enqueue
from meetup.lib.errors import Refused
from meetup.program import services
from meetup.program.models import Application, Call, TeamMember
from tests.concurrency import race
from tests.factories import UserFactory
from tests.outbox import deliver_all
from tests.program.conftest import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(call, attendee, after):
    """Two applications decided: Alice and Bob's accepted, Carol's declined."""
    bob, carol = UserFactory(username="bob"), UserFactory(username="carol")
    accepted = make_application(call, attendee, bob, name="Tiny Models Inc")
    declined = make_application(call, carol, name="Big Models Ltd")
    make_application(call, UserFactory(username="dave"), name="Never submitted", status="draft")
    services.decision_stage(application=accepted, decision="accepted")
    services.decision_stage(application=declined, decision="declined")
    return call


def test_every_applicant_gets_their_own_outcome_by_email(decided, organiser, smtp_inbox):
    queued = services.decisions_notify(call=decided, by=organiser)
    deliver_all(channels=("email",))

    assert queued == 3
    assert "selected" in smtp_inbox.to("alice@example.org")[0]["Subject"]
    assert "Accepted" in smtp_inbox.last_text("bob@example.org")
    assert "did not select" in smtp_inbox.last_text("carol@example.org")
    assert smtp_inbox.to("dave@example.org") == []  # a draft is not an application
    assert len(smtp_inbox.messages) == 3


def test_the_outcome_reaches_an_applicant_who_unsubscribed_from_announcements(decided, organiser, smtp_inbox):
    from meetup.accounts.models import User

    User.objects.filter(username="carol").update(email_opt_in=False)

    services.decisions_notify(call=decided, by=organiser)
    deliver_all(channels=("email",))

    assert "did not select" in smtp_inbox.last_text("carol@example.org")


def test_triggering_the_send_twice_tells_nobody_twice(decided, organiser, smtp_inbox, client):
    first = services.decisions_notify(call=decided, by=organiser)
    deliver_all(channels=("email",))
    again = services.decisions_notify(call=decided, by=organiser)
    client.force_login(organiser)
    client.post(f"/program/{decided.slug}/notify/")
    deliver_all(channels=("email",))

    assert (first, again) == (3, 0)
    assert len(smtp_inbox.messages) == 3
    assert Broadcast.objects.filter(kind=Broadcast.Kind.PROGRAM).count() == 1
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


def test_each_recipient_is_tracked_on_the_manage_page(decided, organiser, smtp_inbox, client):
    services.decisions_notify(call=decided, by=organiser)
    deliver_all(channels=("email",))
    client.force_login(organiser)

    page = client.get(f"/program/{decided.slug}/manage/").content.decode()

    assert page.count(": Sent") == 3
    assert "3 of 3 done" in page


def test_decisions_are_only_sent_when_every_application_has_one(call, organiser, after):
    make_application(call, name="Undecided")

    with pytest.raises(Refused) as refused:
        services.decisions_notify(call=call, by=organiser)

    assert refused.value.code == "undecided"
    assert not Delivery.objects.exists()


def test_declining_the_rest_stages_a_decision_for_every_undecided_application(call, after):
    accepted, other = make_application(call, name="A"), make_application(call, name="B")
    services.decision_stage(application=accepted, decision="accepted")

    assert services.decisions_decline_rest(call=call) == 1
    assert Application.objects.get(pk=other.pk).decision == "declined"


def test_once_sent_decisions_and_scores_are_frozen(decided, organiser, judge):
    services.decisions_notify(call=decided, by=organiser)
    application = decided.applications.get(startup_name="Big Models Ltd")

    with pytest.raises(Refused):
        services.decision_stage(application=application, decision="accepted")
    with pytest.raises(Refused):
        services.review_save(application=application, judge=judge,
                             scores={c.pk: 5 for c in decided.criteria.all()})


def test_the_applicant_sees_the_decision_once_sent(decided, organiser, attendee, client):
    application = decided.applications.get(startup_name="Tiny Models Inc")
    client.force_login(attendee)
    before = client.get(f"/program/applications/{application.pk}/").content.decode()
    services.decisions_notify(call=decided, by=organiser)
    after = client.get(f"/program/applications/{application.pk}/").content.decode()

    assert "Decision" not in before
    assert "Decision: <strong class=\"badge\">Accepted</strong>" in after


def test_nothing_is_sent_before_the_deadline(call, organiser, during):
    with pytest.raises(Refused):
        services.decisions_notify(call=call, by=organiser)


def _decided_call(organiser, judges):
    from tests.program.conftest import AFTER, make_call

    call = make_call(organiser, judges=judges)
    applications = [make_application(call, UserFactory(), UserFactory()) for _ in range(10)]
    with time_machine.travel(AFTER, tick=False):
        for i, application in enumerate(applications):
            services.decision_stage(application=application, decision="accepted" if i < 5 else "declined")
    return call


def naive_notify(call):
    """The bug the call's row lock avoids: read whether the notice exists, decide, create."""
    with transaction.atomic():
        fresh = Call.objects.get(pk=call.pk)
        time.sleep(0.01)
        if fresh.decisions_broadcast_id is None:
            broadcast = Broadcast.objects.create(kind=Broadcast.Kind.PROGRAM, status=Broadcast.Status.SENDING)
            Call.objects.filter(pk=call.pk).update(decisions_broadcast=broadcast)
            deliveries_enqueue(broadcast=broadcast, messages=[
                (m.user_id, f"decision:{m.application_id}", "declined") for m in TeamMember.objects.filter(call=call)])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_a_naive_check_then_create_tells_people_twice(organiser, judge):
    call = _decided_call(organiser, [judge])

    race(8, lambda _: naive_notify(call))

    assert Broadcast.objects.filter(kind=Broadcast.Kind.PROGRAM).count() > 1
    assert Delivery.objects.count() > 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_queue_each_message_once(organiser, judge, judge2):
    from tests.program.conftest import AFTER

    call = _decided_call(organiser, [judge, judge2])

    with time_machine.travel(AFTER, tick=True):  # the clock is process-wide: every thread sees it
        queued = race(8, lambda _: services.decisions_notify(call=call, by=organiser))

    assert connection.vendor == "postgresql"
    assert sum(queued) == 20
    assert Broadcast.objects.filter(kind=Broadcast.Kind.PROGRAM).count() == 1
    assert Delivery.objects.count() == 20
    assert Delivery.objects.values("user", "key").distinct().count() == 20
