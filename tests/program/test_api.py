"""The program's JSON API: strict input, field errors as 400s, never a 500."""

import pytest

from meetup.program.models import Application
from tests.program.conftest import make_application

pytestmark = pytest.mark.django_db


def apply(api, user, call, **body):
    return api(user).post(f"/api/program/calls/{call.slug}/applications",
                          {"startup_name": "Tiny Models Inc", **body})


def test_anyone_lists_the_calls_with_their_questions_and_rubric(call, api):
    body = api(None).get("/api/program/calls").json()

    assert body[0]["slug"] == call.slug
    assert [c["name"] for c in body[0]["criteria"]] == ["Team", "Market"]
    assert body[0]["winners"] == 5


def test_an_applicant_applies_and_submits(call, attendee, during, api):
    question = call.questions.get()

    created = apply(api, attendee, call, pitch="We **fine-tune**.", answers={str(question.pk): "Cheap GPUs"},
                    hub_links=["https://huggingface.co/openai-community/gpt2", "datasets/org/data"], submit=True)

    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "submitted" and body["team"] == ["alice"]
    assert body["hub_links"] == ["openai-community/gpt2", "datasets/org/data"]


def test_submitting_needs_a_pitch_and_every_answer(call, attendee, during, api):
    response = apply(api, attendee, call, submit=True)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"pitch", "answers"}
    assert not Application.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"surprise": 1}, "surprise"),
    ({"hub_links": ["https://example.com/not-the-hub"]}, "hub_links"),
    ({"answers": {"999999": "?"}}, "answers"),
    ({"projects": ["no-such-project"]}, "projects"),
    ({"team": ["nobody-by-that-name"]}, "team"),
    ({"startup_name": 7}, "startup_name"),
    ({"submit": "yes"}, "submit"),
])
def test_bad_input_is_a_400_naming_the_field(call, attendee, during, api, body, field):
    response = apply(api, attendee, call, **body)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert field in response.json()["fields"]


def test_malformed_json_is_a_400(call, attendee, during, api):
    response = api(attendee).post(f"/api/program/calls/{call.slug}/applications", raw="{not json")

    assert response.status_code == 400


def test_a_showcase_project_can_be_linked(call, attendee, during, api):
    from tests.showcase.factories import ProjectFactory

    project = ProjectFactory()

    response = apply(api, attendee, call, projects=[project.slug])

    assert response.json()["projects"] == [project.slug]


def test_a_judge_puts_a_scorecard(call, judge, api):
    application = make_application(call)
    team, market = call.criteria.all()
    url = f"/api/program/applications/{application.pk}/scores"

    ok = api(judge)._send("put", url, {"scores": [{"criterion": team.pk, "value": 8},
                                                  {"criterion": market.pk, "value": 6}], "comment": "Good"})
    bad = api(judge)._send("put", url, {"scores": [{"criterion": team.pk, "value": 11}]})
    partial = api(judge)._send("put", url, {"scores": [{"criterion": team.pk, "value": 9}]})

    assert ok.status_code == 200 and ok.json()["scored"] is True
    assert bad.status_code == 400 and "scores.0.value" in bad.json()["fields"]
    assert partial.status_code == 400 and "Market" in partial.json()["detail"]


def test_a_judge_declares_a_conflict(call, judge, api):
    application = make_application(call)

    response = api(judge).post(f"/api/program/applications/{application.pk}/conflict", {"reason": "Advisor"})

    assert response.status_code == 201
    assert api(judge).get(f"/api/program/applications/{application.pk}").status_code == 404


def test_organisers_read_the_ranking(call, organiser, judge, api):
    from tests.program.conftest import score

    top, other = make_application(call, name="Top"), make_application(call, name="Other")
    score(top, judge, 9, 9)
    score(other, judge, 3, 3)

    body = api(organiser).get(f"/api/program/calls/{call.slug}/ranking").json()

    assert [(r["startup_name"], r["rank"], r["weighted_mean"]) for r in body["rows"]] == [
        ("Top", 1, 9.0), ("Other", 2, 3.0)]
    assert body["rows"][0]["missing"] == 1  # June has not scored
