"""Untrusted text in the program (call descriptions, pitches, answers, judges' comments) is
inert wherever it is shown."""

import pytest

from meetup.program.models import Call
from tests.program.conftest import make_application, score
from tests.showcase.test_xss import PAYLOADS, assert_inert, main_of

pytestmark = pytest.mark.django_db


def test_a_call_description_is_sanitised(call, client):
    Call.objects.filter(pk=call.pk).update(description=PAYLOADS)

    page = client.get(f"/program/{call.slug}/").content.decode()

    assert_inert(main_of(page))
    assert "<strong>bold</strong>" in page


def test_pitch_answers_and_comments_are_sanitised_for_applicants_judges_and_organisers(
        call, attendee, judge, judge2, organiser, client):
    question = call.questions.get()
    application = make_application(call, attendee, pitch=PAYLOADS, answers={str(question.pk): PAYLOADS})
    score(application, judge2, 5, 5, comment=PAYLOADS)
    score(application, judge, 5, 5, comment=PAYLOADS)

    pages = []
    for user, url in [(attendee, f"/program/applications/{application.pk}/"),
                      (judge, f"/program/applications/{application.pk}/review/"),
                      (organiser, f"/program/applications/{application.pk}/")]:
        client.force_login(user)
        pages.append(client.get(url).content.decode())

    for page in pages:
        assert_inert(main_of(page))
        assert page.count("<strong>bold</strong>") >= 2  # pitch and answer rendered as Markdown
    assert pages[1].count("<strong>bold</strong>") >= 3  # and the other judge's comment
