"""The door in a real browser with the network gone: the page opens from its service worker, scans
are checked on the device, queued, and synced once each when the network returns."""

import re

import pytest

from meetup.events import services, signing
from meetup.events.models import RSVP, Scan
from tests.factories import PASSWORD, EventFactory, going

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def browser_context(chromium):
    context = chromium.new_context()
    context.set_default_timeout(15_000)
    return context


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/$"))


def type_code(page, code):
    page.evaluate("document.getElementById('door-result').replaceChildren()")  # wait for this scan's verdict
    page.locator("#code").fill(code)
    page.locator("#code").press("Enter")
    verdict = page.locator("#door-result [data-verdict]")
    verdict.wait_for()
    return verdict.get_attribute("data-verdict")


def test_twenty_scans_offline_then_synced_once_each(browser_context, live_server, organiser):
    event = EventFactory(title="Offline Night", capacity=100)
    event.organisers.add(organiser)
    tickets = going(event, 19)
    revoked = tickets.pop()
    services.rsvp_cancel(event=event, user=revoked.user)
    codes = [signing.ticket_code(t) for t in tickets[:16]] + [t.ticket_code for t in tickets[16:]]  # 2 plain codes
    page = browser_context.new_page()
    sign_in(page, live_server, organiser)

    page.goto(f"{live_server.url}/events/{event.slug}/door/")
    page.locator("#door-app[data-ready=yes][data-cached=yes]").wait_for()
    browser_context.set_offline(True)
    page.reload()  # served by the service worker
    page.locator("#door-app[data-ready=yes]").wait_for()
    page.locator("#net-state", has_text="Offline").wait_for()

    verdicts = [type_code(page, code) for code in codes[:10]]
    verdicts.append(type_code(page, codes[3]))  # the duplicate
    verdicts.append(type_code(page, signing.ticket_code(revoked)))
    verdicts += [type_code(page, code) for code in codes[10:]]
    page.locator("#queued", has_text="18").wait_for()

    assert verdicts == ["admitted"] * 10 + ["already", "revoked"] + ["admitted"] * 8
    assert not Scan.objects.exists()

    browser_context.set_offline(False)
    page.locator("#queued", has_text="0").wait_for()
    page.locator("#door-counts", has_text="18 checked in of 18 going").wait_for(timeout=20_000)

    assert Scan.objects.filter(event=event).count() == 18
    assert Scan.objects.filter(event=event, outcome="admitted").count() == 18
    assert RSVP.objects.filter(event=event, inside=True).count() == 18
    assert RSVP.objects.get(pk=revoked.pk).checked_in_at is None
    assert page.locator("#last-sync").inner_text() != "never"


def test_the_js_verifier_agrees_with_python_on_the_same_vectors(browser_context, live_server, organiser):
    from tests.door.vectors import vectors

    event = EventFactory()
    event.organisers.add(organiser)
    cases, public_key = vectors(event)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/static/js/door-verify.js")  # any page of the site: a secure context
    page.add_script_tag(url=f"{live_server.url}/static/js/door-verify.js")

    results = page.evaluate("""async ([key, eventId, cases]) => {
        const out = [];
        for (const c of cases) out.push((await DoorVerify.verify(key, eventId, c.code)).ok);
        return out;
    }""", [public_key, event.pk, cases])

    assert results == [c["valid"] for c in cases]
    assert results == [signing.verify(event, c["code"]).rsvp_id is not None for c in cases]


def test_a_ticket_list_made_before_a_scan_the_server_checked_is_not_used(chromium, live_server, organiser):
    """The first scan goes to the server while the ticket list is still on its way; the list, made
    before that scan, arrives after it. The device must not use it, or it would admit the ticket again."""
    event = EventFactory(title="Slow Wi-Fi Night", capacity=10)
    event.organisers.add(organiser)
    ticket = going(event, 1)[0]
    context = chromium.new_context(service_workers="block")  # so the page's own fetches can be held
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server, organiser)
    held = []

    def hold_the_first_list(route):
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))  # the list as the server makes it now, before the scan

    page.route("**/door-data", hold_the_first_list)
    page.goto(f"{live_server.url}/events/{event.slug}/door/")
    page.locator("#code").fill(ticket.ticket_code)
    page.locator("#code").press("Enter")
    page.get_by_text("Welcome,").wait_for()  # checked by the server
    assert RSVP.objects.get(pk=ticket.pk).checked_in_at is not None

    route, stale = held[0]
    route.fulfill(response=stale)
    page.locator("#door-app[data-ready=yes]").wait_for()

    assert type_code(page, ticket.ticket_code) == "already"
    assert Scan.objects.filter(rsvp=ticket).count() == 1
    context.close()
