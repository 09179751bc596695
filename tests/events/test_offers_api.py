"""The offers and reconfirmation API and pages, called as each role would, and as an attacker would."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from meetup.events import capacity, services
from meetup.events.models import RSVP, Event, Offer, Reconfirmation
from tests.factories import EventFactory, RSVPFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(organiser):
    event = EventFactory(capacity=2, waitlist_mode=Event.WaitlistMode.OFFERS)
    event.organisers.add(organiser)
    start = timezone.now() - timedelta(hours=1)
    for i in range(5):
        RSVPFactory(event=event, status=RSVP.Status.GOING if i < 2 else RSVP.Status.WAITLISTED,
                    created_at=start + timedelta(minutes=i))
    capacity.recount(event)
    return event


@pytest.fixture
def offer(event):
    leaving = RSVP.objects.filter(event=event, status="going").first()
    services.rsvp_cancel(event=event, user=leaving.user)
    return Offer.objects.select_related("rsvp__user").get()


def test_organisers_list_offers_by_status(api, event, offer, organiser):
    body = api(organiser).get(f"/api/events/{event.slug}/offers").json()

    assert body["count"] == 1 and body["open"] == 1
    assert body["items"][0]["username"] == offer.rsvp.user.username and body["items"][0]["status"] == "open"
    assert api(organiser).get(f"/api/events/{event.slug}/offers?status=claimed").json()["count"] == 0


@pytest.mark.parametrize("who", ["anonymous", "attendee", "stranger", "other_organiser"])
def test_nobody_else_sees_the_offers(api, event, offer, who, attendee, stranger):
    user = {"anonymous": None, "attendee": offer.rsvp.user, "stranger": stranger}.get(who)
    if who == "other_organiser":
        from meetup.accounts.services import organiser_grant

        user = UserFactory()
        organiser_grant(user=user)
        EventFactory().organisers.add(user)
    response = api(user).get(f"/api/events/{event.slug}/offers")
    assert response.status_code == (401 if user is None else 403)


@pytest.mark.parametrize("query", ["status=bogus", "page=0", "page=99999999999999999999", "page_size=501"])
def test_bad_offer_filters_are_400(api, event, organiser, query):
    response = api(organiser).get(f"/api/events/{event.slug}/offers?{query}")
    assert response.status_code == 400 and response.json()["error"] == "invalid"


def test_an_offer_is_claimed_by_its_token_without_logging_in(api, event, offer):
    response = api(None).post(f"/api/offers/{services.offer_token(offer)}/claim")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "going" and body["ticket_code"] == RSVP.objects.get(pk=offer.rsvp_id).ticket_code


@pytest.mark.parametrize("token", ["nope", "1.2.3:abc", "%00", "x" * 500, "1.2.3"])
def test_a_bad_claim_token_is_404(api, offer, token):
    response = api(None).post(f"/api/offers/{token}/claim")
    # A NUL byte is refused at the edge (400) before any look-up; every other bad token is not found.
    expected = (400, "invalid") if "%00" in token else (404, "not_found")
    assert (response.status_code, response.json()["error"]) == expected
    assert Offer.objects.get().status == "open"


def test_a_tampered_claim_token_is_404(api, offer):
    token = services.offer_token(offer)
    tampered = token.replace(f"{offer.pk}.", f"{offer.pk + 1}.", 1)
    assert api(None).post(f"/api/offers/{tampered}/claim").status_code == 404


def test_someone_else_signed_in_cannot_claim_the_offer(api, offer, stranger):
    response = api(stranger).post(f"/api/offers/{services.offer_token(offer)}/claim")
    assert response.status_code == 403 and response.json()["error"] == "not_your_offer"


def test_an_expired_offer_is_410_and_stays_unclaimed(api, offer):
    with time_machine.travel(offer.expires_at + timedelta(seconds=1)):
        response = api(None).post(f"/api/offers/{services.offer_token(offer)}/claim")
    assert response.status_code == 410 and response.json()["error"] == "offer_expired"
    assert RSVP.objects.get(pk=offer.rsvp_id).status == RSVP.Status.OFFERED


def test_the_offer_page_shows_the_event_then_the_ticket_after_claiming(client, event, offer):
    url = f"/offers/{services.offer_token(offer)}/"

    page = client.get(url)
    assert page.status_code == 200 and event.title in page.content.decode() and "Claim my seat" in page.content.decode()
    assert RSVP.objects.get(pk=offer.rsvp_id).status == RSVP.Status.OFFERED  # looking changes nothing

    claimed = client.post(url, {"answer": "claim"})
    rsvp = RSVP.objects.get(pk=offer.rsvp_id)
    assert rsvp.status == RSVP.Status.GOING and rsvp.ticket_code in claimed.content.decode()


def test_the_offer_page_passes_the_seat_on(client, event, offer):
    client.post(f"/offers/{services.offer_token(offer)}/", {"answer": "decline"})

    assert Offer.objects.get(pk=offer.pk).status == "declined"
    assert Offer.objects.filter(status="open").count() == 1


def test_a_bad_offer_link_page_is_404(client, offer):
    assert client.get("/offers/garbage/").status_code == 404


def test_event_settings_for_offers_round_trip_and_are_validated(api, event, organiser):
    ok = api(organiser).patch(f"/api/events/{event.slug}", {"waitlist_mode": "auto", "offer_hours": 6,
                                                              "reminder_hours": "48,3", "reconfirm_days_before": 2})
    assert ok.status_code == 200
    assert (ok.json()["waitlist_mode"], ok.json()["offer_hours"], ok.json()["reminder_hours"]) == ("auto", 6, "48,3")
    for bad in [{"waitlist_mode": "lottery"}, {"offer_hours": 0}, {"offer_hours": 10**12}, {"reminder_hours": "x"},
                {"reminder_hours": "1,2,3,4,5"}, {"reminder_hours": "9999"}, {"reminder_hours": "2\x00"},
                {"offer_hours": "6"}, {"reconfirm_days_before": 0}]:
        response = api(organiser).patch(f"/api/events/{event.slug}", bad)
        assert response.status_code == 400, bad


# --- "Still coming?" ------------------------------------------------------------------------------------
def test_organisers_ask_everyone_going_once(api, event, organiser):
    first = api(organiser).post(f"/api/events/{event.slug}/reconfirmations")
    again = api(organiser).post(f"/api/events/{event.slug}/reconfirmations")

    assert first.status_code == 200 and first.json()["asked"] == 2 and first.json()["silent"] == 2
    assert again.json()["asked"] == 0
    assert Reconfirmation.objects.filter(event=event).count() == 2


@pytest.mark.parametrize("who", ["anonymous", "attendee", "stranger"])
def test_only_organisers_ask(api, event, who, stranger):
    user = {"anonymous": None, "stranger": stranger,
            "attendee": RSVP.objects.filter(event=event, status="going").first().user}[who]
    assert api(user).post(f"/api/events/{event.slug}/reconfirmations").status_code in (401, 403)
    assert not Reconfirmation.objects.exists()


def test_a_no_answer_frees_the_seat_at_once_as_an_offer(api, event, organiser):
    api(organiser).post(f"/api/events/{event.slug}/reconfirmations")
    question = Reconfirmation.objects.first()
    token = services.reconfirmation_token(question)

    response = api(None).post(f"/api/reconfirmations/{token}", {"coming": False})

    assert response.status_code == 200 and response.json() == {"event": event.slug, "answer": "no",
                                                                 "rsvp_status": "cancelled"}
    assert Offer.objects.filter(event=event, status="open").count() == 1
    # Changing one's mind afterwards does not bring the seat back.
    assert api(None).post(f"/api/reconfirmations/{token}", {"coming": True}).status_code == 409


def test_a_yes_answer_keeps_the_seat(api, event, organiser):
    api(organiser).post(f"/api/events/{event.slug}/reconfirmations")
    token = services.reconfirmation_token(Reconfirmation.objects.first())

    body = api(None).post(f"/api/reconfirmations/{token}", {"coming": True}).json()

    assert body["answer"] == "yes" and body["rsvp_status"] == "going"


@pytest.mark.parametrize("payload", [{"coming": "yes"}, {"coming": 1}, {}, {"coming": True, "x": 1}])
def test_bad_answers_are_400(api, event, organiser, payload):
    api(organiser).post(f"/api/events/{event.slug}/reconfirmations")
    token = services.reconfirmation_token(Reconfirmation.objects.first())
    assert api(None).post(f"/api/reconfirmations/{token}", payload).status_code == 400


def test_a_tampered_answer_token_is_404(api, event, organiser):
    api(organiser).post(f"/api/events/{event.slug}/reconfirmations")
    token = services.reconfirmation_token(Reconfirmation.objects.first())
    assert api(None).post(f"/api/reconfirmations/{token}x", {"coming": False}).status_code == 404
    assert api(None).post("/api/reconfirmations/%00", {"coming": False}).status_code == 400  # refused at the edge


def test_the_dashboard_shows_yes_no_and_silent(client, event, organiser):
    services.reconfirmations_ask(event=event)
    first, second = Reconfirmation.objects.order_by("id")
    services.reconfirmation_answer(reconfirmation=first, coming=True)
    client.force_login(organiser)

    page = client.get(f"/events/{event.slug}/dashboard/").content.decode()

    assert "1 yes · 0 no (seats released) · 1 silent, of 2 asked" in page


def test_the_dashboard_button_asks_everyone(client, event, organiser):
    client.force_login(organiser)
    client.post(f"/events/{event.slug}/reconfirmations/")
    assert Reconfirmation.objects.filter(event=event).count() == 2


def test_the_reconfirmation_page_answers_on_post_only(client, event):
    services.reconfirmations_ask(event=event)
    question = Reconfirmation.objects.first()
    url = f"/reconfirm/{services.reconfirmation_token(question)}/"

    assert client.get(url + "?coming=no").status_code == 200
    assert Reconfirmation.objects.get(pk=question.pk).answer == ""
    client.post(url, {"coming": "no"})
    assert Reconfirmation.objects.get(pk=question.pk).answer == "no"
    assert RSVP.objects.get(pk=question.rsvp_id).status == RSVP.Status.CANCELLED


def test_a_scheduled_reconfirmation_asks_once_when_its_day_comes(event):
    Event.objects.filter(pk=event.pk).update(reconfirm_days_before=3)
    assert services.reconfirmations_due(now=event.starts_at - timedelta(days=4)) == 0
    assert services.reconfirmations_due(now=event.starts_at - timedelta(days=3)) == 2
    assert services.reconfirmations_due(now=event.starts_at - timedelta(days=2)) == 0


def test_claiming_by_link_needs_no_csrf_token_but_a_signed_in_stranger_is_still_refused(event, offer, stranger):
    from django.test import Client

    url = f"/api/offers/{services.offer_token(offer)}/claim"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(stranger)
    assert browser.post(url).status_code == 403

    assert Client(enforce_csrf_checks=True).post(url).status_code == 200


def test_an_organiser_chooses_offers_and_the_schedule_on_the_event_form(client, organiser):
    client.force_login(organiser)

    response = client.post("/events/new/", {
        "title": "Offers from the form", "starts_at": "2026-12-12T19:00", "ends_at": "2026-12-12T21:00",
        "timezone": "UTC", "capacity": "80", "status": "published", "waitlist_mode": "offers", "offer_hours": "12",
        "reconfirm_days_before": "3", "reminder_hours": "48,3"})

    assert response.status_code == 302
    event = Event.objects.get(title="Offers from the form")
    assert (event.waitlist_mode, event.offer_hours, event.reconfirm_days_before, event.reminder_hours) == (
        "offers", 12, 3, "48,3")
    page = client.post(f"/events/{event.slug}/edit/", {
        "title": event.title, "starts_at": "2026-12-12T19:00", "ends_at": "2026-12-12T21:00", "timezone": "UTC",
        "capacity": "80", "status": "published", "reminder_hours": "bogus"}).content.decode()
    assert "separated by commas" in page
