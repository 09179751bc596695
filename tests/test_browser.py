"""A person in a real browser: sign up, type the emailed code, add a phone number, see it saved."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def page(chromium):
    page = chromium.new_context().new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_person_signs_up_confirms_the_code_and_saves_a_phone(page, live_server, smtp_inbox):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Password").fill("a long passphrase for grace")
    page.get_by_role("button", name="Sign Up").click()

    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", smtp_inbox.last_text("grace@example.org"), re.M).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"{live_server.url}/profile/")
    page.get_by_label("Phone").fill("+1 415 555 0123")
    page.get_by_label("Text me updates").check()
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Profile saved.").wait_for()
    assert page.get_by_label("Phone").input_value() == "+14155550123"
    assert page.get_by_label("Text me updates").is_checked()


def test_a_person_rsvps_sees_the_ticket_and_the_organiser_checks_it_in(page, live_server, organiser, attendee):
    from tests.factories import PASSWORD, EventFactory

    event = EventFactory(title="Open Models Night", code_of_conduct_url="https://example.org/coc")
    event.organisers.add(organiser)

    def sign_in(user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(re.compile(r"/$"))

    sign_in(attendee)
    page.goto(f"{live_server.url}/events/{event.slug}/")
    page.get_by_label("I have read and accept").check()
    page.get_by_role("button", name="RSVP").click()
    page.get_by_text("Your ticket is below").wait_for()
    page.get_by_role("link", name="Show my ticket").click()
    assert page.locator(".qr svg").count() == 1
    code = page.get_by_test_id("ticket-code").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(organiser)
    # The door checks scans on the device once its ticket list is in (else on the server): wait for
    # the list, so a list made before the first scan cannot arrive after it and forget it.
    with page.expect_response(lambda response: response.url.endswith("/door-data")):
        page.goto(f"{live_server.url}/events/{event.slug}/door/")
    page.locator("#door-app[data-ready=yes]").wait_for()
    page.get_by_label("Or type the ticket code").fill(code)
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("Welcome, Alice!").wait_for()
    page.get_by_label("Or type the ticket code").fill(code)
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("Already checked in").wait_for()
    expect(page.locator("#door-counts")).to_contain_text("1 checked in of 1 going")


def test_an_organiser_changes_capacity_and_sees_the_dashboard_counters_move(page, live_server, organiser):
    from tests.factories import PASSWORD, EventFactory, RSVPFactory, going

    event = EventFactory(title="Open Models Night", capacity=3)
    event.organisers.add(organiser)
    going(event, 3)
    for _ in range(2):
        RSVPFactory(event=event, status="waitlisted")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"{live_server.url}/events/{event.slug}/dashboard/")
    going_count = page.locator("#dashboard-counts [data-count=going]")
    waitlist = page.locator("#dashboard-counts [data-count=waitlist]")
    assert (going_count.inner_text(), waitlist.inner_text()) == ("3", "2")

    # A second tab changes the capacity; the dashboard left open in the first sees it live.
    other = page.context.new_page()
    other.set_default_timeout(15_000)
    other.goto(f"{live_server.url}/events/{event.slug}/capacity/")
    other.get_by_label("Capacity").fill("5")
    other.get_by_role("button", name="Preview").click()
    other.get_by_role("button", name="Set capacity to 5").click()
    other.get_by_text("Capacity is now 5; 2 promoted from the waitlist.").wait_for()

    page.locator("#dashboard-counts [data-count=going]", has_text="5").wait_for()
    assert waitlist.inner_text() == "0"


def test_a_waitlisted_person_claims_an_offered_seat_from_the_email_and_sees_the_ticket(
        page, live_server, smtp_inbox, settings, attendee):
    from meetup.events import capacity, services
    from meetup.events.models import RSVP, Event
    from tests.factories import EventFactory, RSVPFactory
    from tests.outbox import deliver_all

    settings.PUBLIC_BASE_URL = live_server.url
    event = EventFactory(title="Offers Night", capacity=1, waitlist_mode=Event.WaitlistMode.OFFERS)
    leaving = RSVPFactory(event=event, status=RSVP.Status.GOING, notified_status=RSVP.Status.GOING)
    RSVPFactory(event=event, user=attendee, status=RSVP.Status.WAITLISTED, notified_status=RSVP.Status.WAITLISTED)
    capacity.recount(event)
    services.rsvp_cancel(event=event, user=leaving.user)

    deliver_all(channels=("email",))
    link = re.search(r"(http://\S+/offers/\S+/)", smtp_inbox.last_text(attendee.email)).group(1)

    page.goto(link)
    page.get_by_role("button", name="Claim my seat").click()

    page.get_by_text("You're going!").wait_for()
    ticket = RSVP.objects.get(event=event, user=attendee)
    assert ticket.status == RSVP.Status.GOING
    assert page.get_by_test_id("ticket-code").inner_text() == ticket.ticket_code
