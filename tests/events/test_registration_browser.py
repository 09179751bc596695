"""In a real browser: an attendee answers the registration questions, chooses to be listed, RSVPs,
and the door shows the answer marked for check-in."""

import re

import pytest

from meetup.events import services
from meetup.events.models import Answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def page(chromium):
    page = chromium.new_context().new_page()
    page.set_default_timeout(15_000)
    return page


def test_an_attendee_answers_the_questions_and_the_door_sees_the_dietary_need(page, live_server, organiser,
                                                                              attendee):
    from tests.factories import PASSWORD, EventFactory

    event = EventFactory(title="Open Models Night")
    event.organisers.add(organiser)
    diet = services.question_create(event=event, label="Dietary needs", kind="choice",
                                    choices=["None", "Vegetarian", "Vegan"], required=True, show_at_checkin=True)
    services.question_create(event=event, label="Your Hub profile", kind="url", help_text="Optional")
    services.question_create(event=event, label="First meetup?", kind="yes_no")

    def sign_in(user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(re.compile(r"/$"))

    sign_in(attendee)
    page.goto(f"{live_server.url}/events/{event.slug}/?ref=newsletter")
    page.get_by_label("Dietary needs").select_option("Vegan")
    page.get_by_label("Your Hub profile").fill("https://huggingface.co/alice")
    page.get_by_label("Yes").check()
    page.get_by_label("Show me on the list of who's going").select_option("public")
    page.get_by_label("I have read and accept").check()
    page.get_by_role("button", name="RSVP").click()
    page.get_by_text("Your ticket is below").wait_for()
    page.locator("#whos-going").get_by_text("Alice").wait_for()
    answer = Answer.objects.select_related("rsvp").get(question=diet)
    assert (answer.text, answer.rsvp.source, answer.rsvp.visibility) == ("Vegan", "newsletter", "public")
    page.get_by_role("button", name="Sign out").click()

    sign_in(organiser)
    page.goto(f"{live_server.url}/events/{event.slug}/door/")
    page.get_by_label("Name or email").fill("Alice")
    page.get_by_text("Dietary needs:").wait_for()
    assert "Vegan" in page.locator(".door-answer").first.inner_text()
