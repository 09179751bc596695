import time

import pytest
from django.conf import settings
from django.db.models import F

from meetup.broadcasts.models import Delivery
from meetup.events import services
from meetup.events.models import RSVP
from tests.factories import EventFactory, UserFactory, VenueFactory
from tests.outbox import deliver_all
from tests.workers import broker_url, start_worker, stop_worker, worker_env


@pytest.fixture
def event(db):
    return EventFactory(title="Open Models Night", capacity=1, venue=VenueFactory(name="Big Hall"),
                        timezone="Europe/Paris")


def test_the_ticket_email_carries_the_qr_code_and_a_calendar_file(event, attendee, smtp_inbox):
    rsvp, _ = services.rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)

    assert deliver_all() == 1

    message = smtp_inbox.to("alice@example.org")[-1]
    assert message["Subject"] == "Your ticket: Open Models Night"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert rsvp.ticket_code in parts["text/plain"].get_content()
    assert 'src="cid:ticket-qr"' in parts["text/html"].get_content()
    assert parts["image/png"]["Content-ID"] == "<ticket-qr>"
    ics = parts["text/calendar"].get_content()
    assert "SUMMARY:Open Models Night" in ics and "Big Hall" in ics


def test_each_email_is_sent_once(event, attendee, smtp_inbox):
    services.rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)

    sent = [deliver_all(), deliver_all()]

    assert sent == [1, 0]
    assert len(smtp_inbox.messages) == 1


def test_the_waitlist_email_says_the_position_and_the_promotion_email_follows(event, attendee, smtp_inbox):
    first = UserFactory()
    services.rsvp_create(event=event, user=first, accept_code_of_conduct=True)
    services.rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)
    deliver_all()
    assert smtp_inbox.to("alice@example.org")[-1]["Subject"] == "You're on the waitlist for Open Models Night (#1)"

    services.rsvp_cancel(event=event, user=first)
    deliver_all()

    assert smtp_inbox.to("alice@example.org")[-1]["Subject"] == (
        "A seat opened up: you're going to Open Models Night")


def test_a_cancelled_rsvp_is_owed_nothing(event, attendee, smtp_inbox):
    services.rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)
    services.rsvp_cancel(event=event, user=attendee)

    assert deliver_all() == 0
    assert smtp_inbox.messages == []


def test_an_smtp_failure_queues_the_email_again(event, attendee, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    rsvp, _ = services.rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)

    deliver_all()

    delivery = Delivery.objects.get(user=attendee)
    assert (delivery.status, delivery.attempts) == ("queued", 1)  # tried again later
    assert "Email provider trouble" in delivery.error and delivery.not_before > delivery.claimed_at


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_sends_the_promotion_email(smtp_inbox, tmp_path):
    """The whole way: a cancellation promotes someone; beat's tick goes through Redis to a worker
    process, which plans the email and sends it from the email queue to the SMTP server."""
    from meetup.celery import app

    event = EventFactory(title="Open Models Night", capacity=1)
    first, second = UserFactory(), UserFactory(email="next@example.org")
    services.rsvp_create(event=event, user=first, accept_code_of_conduct=True)
    services.rsvp_create(event=event, user=second, accept_code_of_conduct=True)
    RSVP.objects.update(notified_status=F("status"))  # both were told where they stood
    services.rsvp_cancel(event=event, user=first)

    broker = broker_url(14)
    worker = start_worker(worker_env(broker, tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{settings.EMAIL_PORT}"),
                          "default,email")
    try:
        with app.connection_for_write(broker) as conn:
            app.send_task("broadcasts.tick", queue="default", connection=conn)
        deadline = time.monotonic() + 60
        while not smtp_inbox.to("next@example.org") and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stderr = stop_worker(worker)

    messages = smtp_inbox.to("next@example.org")
    assert [m["Subject"] for m in messages] == ["A seat opened up: you're going to Open Models Night"], stderr[-2000:]
    assert RSVP.objects.get(user=second).notified_status == "going"
