"""Offers and "still coming?" by text: the messages go out through the outbox (text where the
person agreed, email always), and a YES or NO reply answers the newest thing asked of that phone,
whatever other events the person has. STOP still wins; anything else gets the help text."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from meetup.accounts.models import ConsentRecord
from meetup.broadcasts.models import Broadcast, Delivery
from meetup.events import services
from meetup.events.models import RSVP, Event, Offer, Reconfirmation
from tests.broadcasts.conftest import person, rsvp
from tests.broadcasts.test_webhooks import _post_signed
from tests.factories import EventFactory
from tests.outbox import deliver_all

pytestmark = pytest.mark.django_db


def offers_event(title="Offers Night", **kwargs):
    return EventFactory(title=title, timezone="America/Los_Angeles", capacity=1,
                        waitlist_mode=Event.WaitlistMode.OFFERS, **kwargs)


def offered(event, bob):
    """`bob` waits behind one person going, who then cancels: bob is offered the seat."""
    leaving = person()
    rsvp(event, leaving)
    rsvp(event, bob, RSVP.Status.WAITLISTED)
    services.rsvp_cancel(event=event, user=leaving)
    return Offer.objects.get(event=event, rsvp__user=bob, status="open")


def reply(client, bob, body):
    response = _post_signed(client, "/hooks/twilio/inbound", {"From": str(bob.phone), "Body": body})
    assert response.status_code == 200
    return response.content.decode()


def test_an_offer_is_texted_and_emailed_with_its_claim_link(twilio_server, smtp_inbox):
    bob = person()
    offer = offered(offers_event(), bob)

    deliver_all()

    token = services.offer_token(offer)
    [text] = twilio_server.to(str(bob.phone))
    assert "reply YES to take it" in text["Body"] and f"/offers/{token}/" in text["Body"]
    [email] = [m for m in smtp_inbox.messages if bob.email in m["To"]]
    assert "A seat opened up for Offers Night" in email["Subject"]
    assert set(Delivery.objects.filter(broadcast__kind=Broadcast.Kind.OFFER).values_list("channel", "status")) == {
        ("sms", "sent"), ("email", "sent")}


def test_no_text_without_sms_consent_but_the_email_goes(twilio_server, smtp_inbox):
    bob = person(sms=False)
    offered(offers_event(), bob)

    deliver_all()

    assert twilio_server.to(str(bob.phone)) == []
    assert any(bob.email in m["To"] for m in smtp_inbox.messages)


def test_a_claimed_offer_is_not_texted_afterwards(twilio_server):
    bob = person()
    offer = offered(offers_event(), bob)
    services.offer_claim(offer=offer)

    deliver_all(channels=("sms",))

    assert twilio_server.to(str(bob.phone)) == []
    assert Delivery.objects.get(broadcast__kind="offer", channel="sms").status == Delivery.Status.CANCELLED


def test_yes_claims_the_newest_offer_even_with_another_event_pending(client, twilio_server):
    bob = person()
    earlier = EventFactory(title="Earlier Night", timezone="America/Los_Angeles", capacity=10)
    rsvp(earlier, bob)
    services.reconfirmations_ask(event=earlier, now=timezone.now() - timedelta(days=1))
    offer = offered(offers_event(), bob)

    answer = reply(client, bob, "Yes!")

    assert "The seat is yours" in answer
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.CLAIMED
    assert RSVP.objects.get(pk=offer.rsvp_id).status == RSVP.Status.GOING
    assert Reconfirmation.objects.get(rsvp__event=earlier).answer == ""


def test_no_answers_the_newest_reconfirmation_and_frees_the_seat(client, twilio_server):
    bob = person()
    older_offer = offered(offers_event(), bob)
    Offer.objects.filter(pk=older_offer.pk).update(created_at=timezone.now() - timedelta(hours=3))
    event = EventFactory(title="Later Night", timezone="America/Los_Angeles", capacity=10)
    rsvp(event, bob)
    services.reconfirmations_ask(event=event)

    answer = reply(client, bob, "no")

    assert "your seat at Later Night goes to someone on the waitlist" in answer
    assert Reconfirmation.objects.get(rsvp__event=event).answer == "no"
    assert RSVP.objects.get(event=event, user=bob).status == RSVP.Status.CANCELLED
    assert Offer.objects.get(pk=older_offer.pk).status == Offer.Status.OPEN


def test_no_passes_an_offer_to_the_next_person(client, twilio_server):
    bob, next_in_line = person(), person()
    event = offers_event()
    offer = offered(event, bob)
    rsvp(event, next_in_line, RSVP.Status.WAITLISTED)

    reply(client, bob, "NO")

    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DECLINED
    assert Offer.objects.get(status="open").rsvp.user == next_in_line


def test_two_questions_asked_close_together_get_a_reply_asking_for_the_link(client, twilio_server):
    bob = person()
    offer = offered(offers_event(), bob)
    other = EventFactory(title="Other Night", timezone="America/Los_Angeles", capacity=10)
    rsvp(other, bob)
    services.reconfirmations_ask(event=other)

    answer = reply(client, bob, "YES")

    assert "Please answer with the link" in answer and "Offers Night" in answer and "Other Night" in answer
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN
    assert Reconfirmation.objects.get().answer == ""


def test_stop_wins_over_a_pending_offer(client, twilio_server):
    bob = person()
    offer = offered(offers_event(), bob)

    answer = reply(client, bob, "STOP")

    assert "unsubscribed" in answer
    bob.refresh_from_db()
    assert not bob.sms_opt_in
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN


def test_an_unknown_reply_with_an_offer_pending_gets_help_and_changes_nothing(client, twilio_server):
    bob = person()
    offer = offered(offers_event(), bob)

    answer = reply(client, bob, "what time is it?")

    assert "Open AI Meetups: event updates by text" in answer
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN


def test_yes_to_an_expired_offer_says_so(client, twilio_server):
    bob = person()
    offer = offered(offers_event(), bob)

    with time_machine.travel(offer.expires_at + timedelta(minutes=1)):
        answer = reply(client, bob, "YES")

    assert RSVP.objects.get(pk=offer.rsvp_id).status == RSVP.Status.OFFERED
    assert "The seat is yours" not in answer


def test_yes_with_nothing_pending_opts_back_in(client, twilio_server):
    bob = person(sms=False)

    answer = reply(client, bob, "YES")

    assert "subscribed to Open AI Meetups texts again" in answer
    assert ConsentRecord.objects.filter(user=bob, granted=True).exists()


def test_a_reply_from_an_unknown_number_gets_help(client, twilio_server):
    response = _post_signed(client, "/hooks/twilio/inbound", {"From": "+14155550999", "Body": "YES"})
    assert "subscribed" in response.content.decode()  # carriers' YES: opt-in wording, nothing to change


def test_still_coming_is_texted_and_emailed_with_its_links(twilio_server, smtp_inbox):
    bob = person()
    event = EventFactory(title="Ask Night", timezone="America/Los_Angeles", capacity=10)
    rsvp(event, bob)
    services.reconfirmations_ask(event=event)

    deliver_all()

    token = services.reconfirmation_token(Reconfirmation.objects.get())
    [text] = twilio_server.to(str(bob.phone))
    assert "Still coming to Ask Night" in text["Body"] and f"/reconfirm/{token}/" in text["Body"]
    assert "Still coming to Ask Night?" in smtp_inbox.to(bob.email)[0]["Subject"]
    assert f"/reconfirm/{token}/?coming=no" in smtp_inbox.last_text(bob.email)


def test_the_beat_task_expires_offers_and_passes_them_on(twilio_server):
    from meetup.events.tasks import expire_offers

    bob, next_in_line = person(), person()
    event = offers_event()
    offer = offered(event, bob)
    rsvp(event, next_in_line, RSVP.Status.WAITLISTED)

    with time_machine.travel(offer.expires_at):
        assert expire_offers() == {"expired": 1, "reconfirmations": 0}

    assert Offer.objects.get(status="open").rsvp.user == next_in_line
