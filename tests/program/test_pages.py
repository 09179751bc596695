"""The program's pages for each role, end to end through forms."""

import pytest

from meetup.program.models import Application, Assignment, Call
from tests.program.conftest import make_application, score

pytestmark = pytest.mark.django_db


def test_the_nav_links_to_the_program_and_it_lists_open_calls(call, client, during):
    home = client.get("/").content.decode()
    program = client.get("/program/").content.decode()

    assert 'href="/program/"' in home
    assert call.title in program


def test_an_organiser_creates_a_call_with_its_rubric_and_panel(organiser, judge, client):
    client.force_login(organiser)

    response = client.post("/program/new/", {
        "title": "Autumn cohort", "description": "Apply!", "opens_at": "2026-09-01T09:00",
        "closes_at": "2026-09-30T18:00", "timezone": "Europe/Paris", "winners": "3",
        "questions": "Why now?\nWho are you?", "criteria": "Team | 3\nMarket | 1", "judges": "jude",
    })

    call = Call.objects.get(title="Autumn cohort")
    assert response.status_code == 302
    assert call.closes_at.isoformat() == "2026-09-30T16:00:00+00:00"  # read in the call's time zone
    assert [(c.name, c.weight) for c in call.criteria.all()] == [("Team", 3), ("Market", 1)]
    assert list(call.judges.all()) == [judge] and list(call.organisers.all()) == [organiser]


def test_a_bad_weight_is_a_form_error(organiser, client):
    client.force_login(organiser)

    response = client.post("/program/new/", {
        "title": "X", "opens_at": "2026-09-01T09:00", "closes_at": "2026-09-30T18:00", "timezone": "UTC",
        "winners": "3", "criteria": "Team | lots"})

    assert response.status_code == 200 and "whole number" in response.content.decode()
    assert not Call.objects.exists()


def test_an_applicant_drafts_then_submits_and_sees_the_status(call, attendee, client, during):
    client.force_login(attendee)
    question = call.questions.get()
    form = {"startup_name": "Tiny Models Inc", "pitch": "Small is beautiful", f"answer_{question.pk}": "GPUs"}

    client.post(f"/program/{call.slug}/apply/", {**form, "action": "save"})
    application = Application.objects.get()
    assert application.status == "draft"
    client.post(f"/program/{call.slug}/apply/", {**form, "action": "submit"})
    page = client.get(f"/program/applications/{application.pk}/").content.decode()

    assert "Submitted" in page
    client.post(f"/program/applications/{application.pk}/withdraw/")
    assert Application.objects.get().status == "withdrawn"


def test_the_judge_queue_shows_progress(call, judge, client):
    first = make_application(call, name="First")
    make_application(call, name="Second")
    score(first, judge, 5, 5)
    client.force_login(judge)

    page = client.get(f"/program/{call.slug}/judging/").content.decode()

    assert "You have scored <strong>1</strong> of 2" in page


def test_organisers_assign_judges(call, organiser, judge, judge2, client):
    application = make_application(call)
    client.force_login(organiser)

    client.post(f"/program/{call.slug}/assignments/", {f"a{application.pk}-j{judge.pk}": "on"})

    assert list(Assignment.objects.values_list("judge", flat=True)) == [judge.pk]


def test_the_manage_page_reads_a_fixed_number_of_queries(call, organiser, judge, judge2, client, after,
                                                         django_assert_max_num_queries):
    for name in "ABCDEF":
        application = make_application(call, name=name)
        score(application, judge, 5, 6)
        score(application, judge2, 7, 6)
    client.force_login(organiser)

    with django_assert_max_num_queries(25):
        page = client.get(f"/program/{call.slug}/manage/").content.decode()

    assert "tie" in page and "Stage" in page
