"""Accessibility in a real browser: axe-core (from npm, node_modules/axe-core) over the main pages
finds no critical or serious violation, and a person using only the keyboard (Tab to move, Space to
tick the code of conduct, Enter to send) can RSVP, with a visible focus ring and no trap."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.conftest import IN_CI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def browser(chromium):
    if not AXE.exists():
        message = "needs axe-core: run `npm ci` (or `make assets`)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    return chromium


def _page_as(browser, live_server, user=None):
    """A page whose browser is signed in as `user` (a session made by Django's test client)."""
    from django.test import Client

    # axe-core is injected as a script of the page's own, which the site's strict CSP (rightly)
    # refuses; the CSP itself is checked in tests/hardening/test_headers.py.
    context = browser.new_context(bypass_csp=True)
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'critical' || v.impact === 'serious')
            .map(v => `${v.impact} ${v.id}: ${v.help} -> `
                      + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")


@pytest.fixture
def site(organiser, attendee):
    from meetup.events.services import rsvp_create
    from meetup.program import services as program
    from meetup.program.models import Application
    from meetup.showcase import services as showcase
    from tests.factories import EventFactory, VenueFactory
    from tests.program.conftest import make_application

    event = EventFactory(title="Open Models Night", slug="open-models-night", venue=VenueFactory(),
                         code_of_conduct_url="https://example.org/coc")
    event.organisers.add(organiser)
    rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)
    project = showcase.project_create(user=attendee, title="Tiny story machine", summary="Stories from a small model.",
                                      event=event)
    showcase.like_set(project=project, user=organiser, liked=True)
    showcase.comment_create(project=project, author=organiser, body="Great demo!")
    now = timezone.now()
    call = program.call_create(organiser=organiser, title="Autumn cohort", opens_at=now - timedelta(days=1),
                               closes_at=now + timedelta(days=20), timezone="Europe/Paris", description="Apply.",
                               winners=5, questions=["Why now?"], criteria=[("Team", 2)], judges=[])
    make_application(call, attendee, name="Tiny Stories", status=Application.Status.DRAFT)
    return {"event": event, "project": project, "call": call}


def test_the_main_pages_have_no_serious_accessibility_violations(browser, live_server, site, organiser, attendee):
    event, project, call = site["event"], site["project"], site["call"]
    pages = [
        (None, "/"), (None, f"/events/{event.slug}/"), (None, "/accounts/signup/"), (None, "/accounts/login/"),
        (None, "/projects/"), (None, f"/projects/{project.slug}/"), (None, "/program/"),
        (None, f"/program/{call.slug}/"), (None, "/admin/login/"),
        (attendee, "/tickets/"), (attendee, f"/events/{event.slug}/"), (attendee, f"/projects/{project.slug}/"),
        (attendee, f"/program/{call.slug}/apply/"), (attendee, "/profile/"), (attendee, "/profile/data/"),
        (organiser, f"/events/{event.slug}/door/"), (organiser, f"/events/{event.slug}/dashboard/"),
        (organiser, f"/events/{event.slug}/broadcasts/"), (organiser, "/program/"),
    ]
    found = {}
    for user, path in pages:
        page = _page_as(browser, live_server, user)
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            found[f"{user.username if user else 'anonymous'} {path}"] = violations
        page.context.close()

    assert found == {}


def test_a_keyboard_only_rsvp_from_the_event_page(browser, live_server, site, organiser):
    from meetup.events.models import RSVP
    from tests.factories import UserFactory

    person = UserFactory(username="kay", email="kay@example.org", display_name="Kay Board")
    page = _page_as(browser, live_server, person)
    page.goto(f"{live_server.url}/events/{site['event'].slug}/")

    # The first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, type: e.type || '', name: e.name || '', text: (e.textContent || '').trim(),
                    outline: getComputedStyle(e).outlineStyle, shadow: getComputedStyle(e).boxShadow}; }""")
        if focused["type"] == "checkbox" and "code_of_conduct" in focused["name"]:
            assert focused["outline"] != "none" or focused["shadow"] != "none", "no visible focus"
            page.keyboard.press("Space")
        if focused["tag"] == "BUTTON" and focused["text"].startswith("RSVP"):
            assert focused["outline"] != "none" or focused["shadow"] != "none", "no visible focus"
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail("The RSVP button was never reached with Tab")

    page.get_by_text("Your ticket is below").wait_for()
    assert RSVP.objects.get(user=person, event=site["event"]).status == RSVP.Status.GOING

    # No trap: Tab alone reaches the footer's language switcher, past every control on the page.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "language-select":
            break
    else:
        pytest.fail("Tab never reached the footer")
