"""Judges: their queue, full scorecards, conflicts of interest, the anonymised phase, and other
judges' scores only once they have scored."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetup.program import selectors, services
from meetup.program.models import Assignment, Review
from tests.program.conftest import make_application, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(call, attendee):
    return make_application(call, attendee, name="Tiny Models Inc")


def scores_for(call, *values):
    return {c.pk: v for c, v in zip(call.criteria.all(), values, strict=True)}


def test_a_judge_saves_a_full_scorecard_and_saving_again_replaces_it(application, judge):
    call = application.call
    services.review_save(application=application, judge=judge, scores=scores_for(call, 7, 4), comment="Strong team")
    services.review_save(application=application, judge=judge, scores=scores_for(call, 8, 4), comment="Stronger")

    review = Review.objects.get()
    assert review.comment == "Stronger"
    assert sorted(review.scores.values_list("value", flat=True)) == [4, 8]


@pytest.mark.parametrize("values", [{"Team": 7}, {"Team": 0, "Market": 5}, {"Team": 11, "Market": 5}])
def test_a_scorecard_needs_every_criterion_from_1_to_10(application, judge, values):
    ids = {c.name: c.pk for c in application.call.criteria.all()}

    with pytest.raises(ValidationError) as invalid:
        services.review_save(application=application, judge=judge, scores={ids[k]: v for k, v in values.items()})

    assert "scores" in invalid.value.message_dict
    assert not Review.objects.exists()


def test_a_conflict_hides_the_application_from_that_judge_everywhere(application, judge, client, api):
    services.conflict_declare(application=application, judge=judge, reason="My cousin's startup")

    assert application not in selectors.judge_applications(application.call, judge)
    client.force_login(judge)
    assert "Tiny Models Inc" not in client.get(f"/program/{application.call.slug}/judging/").content.decode()
    assert client.get(f"/program/applications/{application.pk}/review/").status_code == 404
    assert api(judge).get(f"/api/program/applications/{application.pk}").status_code == 404
    with pytest.raises(PermissionDenied):
        services.review_save(application=application, judge=judge, scores=scores_for(application.call, 5, 5))


def test_declaring_a_conflict_through_the_page_empties_the_queue(application, judge, client):
    client.force_login(judge)

    response = client.post(f"/program/applications/{application.pk}/conflict/", {"reason": "I invested"})

    assert response.status_code == 302
    assert application.conflicts.get().judge == judge
    assert list(selectors.judge_applications(application.call, judge)) == []


def test_a_judge_on_the_team_never_judges_it(call, judge):
    own = make_application(call, judge, name="Judge's own")

    assert own not in selectors.judge_applications(call, judge)


def test_with_assignments_a_judge_sees_only_theirs(call, judge, judge2):
    mine, theirs = make_application(call, name="Mine"), make_application(call, name="Theirs")
    Assignment.objects.create(application=mine, judge=judge)
    Assignment.objects.create(application=theirs, judge=judge2)

    assert list(selectors.judge_applications(call, judge)) == [mine]


def test_drafts_and_withdrawn_applications_are_not_judged(call, judge):
    make_application(call, name="Draft", status="draft")
    make_application(call, name="Gone", status="withdrawn")

    assert list(selectors.judge_applications(call, judge)) == []


def test_others_scores_are_hidden_until_the_judge_has_scored(application, judge, judge2, api, client):
    score(application, judge2, 9, 9, comment="Secret opinion")
    url = f"/api/program/applications/{application.pk}/scores"

    before = api(judge).get(url).json()
    client.force_login(judge)
    page_before = client.get(f"/program/applications/{application.pk}/review/").content.decode()
    services.review_save(application=application, judge=judge, scores=scores_for(application.call, 5, 5))
    after = api(judge).get(url).json()
    page_after = client.get(f"/program/applications/{application.pk}/review/").content.decode()

    assert before == {"scored": False, "reviews": []}
    assert "Secret opinion" not in page_before
    assert after["scored"] is True
    assert {r["judge"] for r in after["reviews"]} == {"jude", "june"}
    assert "Secret opinion" in page_after


def test_a_partial_scorecard_does_not_unlock_others_scores(application, judge, judge2, api):
    score(application, judge2, 9, 9)
    score(application, judge, 5)  # Market unscored

    body = api(judge).get(f"/api/program/applications/{application.pk}/scores").json()

    assert body["scored"] is False
    assert [r["judge"] for r in body["reviews"]] == ["jude"]


def test_the_anonymised_phase_hides_names_and_team_from_judges(call, attendee, judge, client, api):
    call.anonymised = True
    call.save()
    application = make_application(call, attendee, name="Tiny Models Inc")
    client.force_login(judge)

    queue = client.get(f"/program/{call.slug}/judging/").content.decode()
    review = client.get(f"/program/applications/{application.pk}/review/").content.decode()
    body = api(judge).get(f"/api/program/applications/{application.pk}").json()

    for page in (queue, review):
        assert "Tiny Models Inc" not in page and "Alice" not in page
        assert f"Application #{application.pk}" in page
    assert body["startup_name"] is None and body["team"] is None
    assert body["pitch"] == application.pitch


def test_the_organisers_see_names_while_judging_is_anonymised(call, attendee, organiser, api):
    call.anonymised = True
    call.save()
    application = make_application(call, attendee, name="Tiny Models Inc")

    body = api(organiser).get(f"/api/program/applications/{application.pk}").json()

    assert body["startup_name"] == "Tiny Models Inc" and body["team"] == ["alice"]


def test_the_scoring_page_saves_a_scorecard(application, judge, client):
    client.force_login(judge)
    ids = [c.pk for c in application.call.criteria.all()]

    response = client.post(f"/program/applications/{application.pk}/review/",
                           {f"score_{ids[0]}": "8", f"score_{ids[1]}": "6", "comment": "Good"})

    assert response.status_code == 302
    assert selectors.has_scored(application, judge)
