"""Registration questions: typed answers checked per kind (API and page), required ones enforced,
answers editable until the event starts, formula-safe CSV columns, the door's check-in answers,
and other organisers' ids answering 404."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine

from meetup.events import selectors, services
from meetup.events.models import RSVP, Answer, Question
from tests.factories import EventFactory, RSVPFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(organiser):
    event = EventFactory(capacity=10)
    event.organisers.add(organiser)
    return event


def ask(event, kind, label="Q", **kwargs):
    return services.question_create(event=event, label=label, kind=kind, **kwargs)


def rsvp_body(answers):
    return {"accept_code_of_conduct": True, "answers": answers}


BAD = [
    ("text", 42), ("text", "x" * 301), ("text", "nul\x00byte"), ("text", ["a"]),
    ("long_text", "y" * 5001), ("long_text", {"a": 1}),
    ("choice", "Nope"), ("choice", 1), ("choice", ["Veggie"]),
    ("multi_choice", ["Veggie", "Nope"]), ("multi_choice", [1, 2]), ("multi_choice", {"x": 1}),
    ("yes_no", "maybe"), ("yes_no", 1), ("yes_no", []),
    ("number", "twelve"), ("number", True), ("number", 10**30), ("number", "1e400"), ("number", "x" * 10000),
    ("url", "javascript:alert(1)"), ("url", "not a url"), ("url", 7), ("url", "https://" + "a" * 600 + ".org"),
]


@pytest.mark.parametrize(("kind", "value"), BAD)
def test_every_kind_rejects_bad_input_with_a_400_naming_the_answer(api, attendee, event, kind, value):
    question = ask(event, kind, choices=["Veggie", "Vegan"] if "choice" in kind else None)

    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): value}))

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid"
    assert f"answers.{question.pk}" in body["fields"]
    assert body["detail"].startswith(f"answers.{question.pk}: ")
    assert not RSVP.objects.filter(event=event).exists()


GOOD = [
    ("text", "  Jo  ", "Jo"), ("long_text", "line one\nline two", "line one\nline two"),
    ("choice", "Vegan", "Vegan"), ("multi_choice", ["Vegan", "Veggie"], "Veggie; Vegan"),
    ("yes_no", True, "yes"), ("yes_no", "no", "no"), ("number", 3, "3"), ("number", "2.5", "2.5"),
    ("url", "https://huggingface.co/alice", "https://huggingface.co/alice"),
]


@pytest.mark.parametrize(("kind", "value", "text"), GOOD)
def test_good_answers_of_every_kind_are_stored_typed_and_as_text(api, attendee, event, kind, value, text):
    question = ask(event, kind, choices=["Veggie", "Vegan"] if "choice" in kind else None)

    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): value}))

    assert response.status_code == 201, response.content
    assert Answer.objects.get(question=question).text == text
    assert str(question.pk) in response.json()["answers"]


def test_a_required_question_must_be_answered(api, attendee, event):
    question = ask(event, "text", label="Dietary needs", required=True)

    missing = api(attendee).post(f"/api/events/{event.slug}/rsvp", {"accept_code_of_conduct": True})
    blank = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): "   "}))

    assert missing.status_code == blank.status_code == 400
    assert "required" in missing.json()["fields"][f"answers.{question.pk}"][0]
    assert not RSVP.objects.exists()


def test_unknown_hidden_and_other_events_questions_are_refused(api, attendee, event, organiser):
    other = ask(EventFactory(), "text")
    hidden = ask(event, "text")
    services.question_update(question=hidden, hidden=True)

    for key in (str(other.pk), str(hidden.pk), "abc", "9" * 40):
        response = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({key: "x"}))
        assert response.status_code == 400, key


def test_answers_that_are_not_an_object_are_a_400(api, attendee, event):
    ask(event, "text")

    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body(["a"]))

    assert response.status_code == 400


def test_the_page_form_asks_the_questions_and_shows_each_error_on_its_field(client, attendee, event):
    number = ask(event, "number", label="How many years of ML?")
    required = ask(event, "choice", label="T-shirt size", choices=["S", "M", "L"], required=True)
    client.force_login(attendee)

    page = client.get(f"/events/{event.slug}/").content.decode()
    response = client.post(f"/events/{event.slug}/rsvp/", {"accept_code_of_conduct": "on",
                                                            f"q_{number.pk}": "lots"})

    assert "How many years of ML?" in page and f'name="q_{required.pk}"' in page
    assert response.status_code == 400
    html = response.content.decode()
    assert "Expected a number." in html and "an answer is required" in html
    assert not RSVP.objects.exists()

    ok = client.post(f"/events/{event.slug}/rsvp/", {"accept_code_of_conduct": "on", f"q_{number.pk}": "4",
                                                      f"q_{required.pk}": "M"})
    assert ok.status_code == 302
    assert sorted(Answer.objects.values_list("text", flat=True)) == ["4", "M"]


def test_attendees_edit_answers_until_the_event_starts(api, attendee, event):
    question = ask(event, "text", label="Dietary needs", required=True)
    api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): "none"}))

    changed = api(attendee).patch(f"/api/events/{event.slug}/rsvp", {"answers": {str(question.pk): "vegan"}})
    cleared = api(attendee).patch(f"/api/events/{event.slug}/rsvp", {"answers": {str(question.pk): None}})
    with time_machine.travel(event.starts_at + timedelta(minutes=1)):
        late = api(attendee).patch(f"/api/events/{event.slug}/rsvp", {"answers": {str(question.pk): "halal"}})

    assert changed.status_code == 200 and changed.json()["answers"][str(question.pk)] == "vegan"
    assert cleared.status_code == 400  # required: it cannot be emptied
    assert late.status_code == 409 and late.json()["error"] == "event_started"
    assert Answer.objects.get(question=question).text == "vegan"


def test_attendees_edit_answers_on_the_page(client, attendee, event):
    question = ask(event, "yes_no", label="Need step-free access?")
    client.force_login(attendee)
    client.post(f"/events/{event.slug}/rsvp/", {"accept_code_of_conduct": "on", f"q_{question.pk}": "no"})

    client.post(f"/events/{event.slug}/rsvp/details/", {"answers": "1", f"q_{question.pk}": "yes",
                                                        "visibility": "public"})

    assert Answer.objects.get(question=question).value is True
    assert RSVP.objects.get(user=attendee).visibility == "public"


def test_answers_in_the_csv_are_one_column_per_question_and_formula_safe(api, organiser, attendee, event):
    question = ask(event, "text", label="=cmd|' /C calc'!A0")
    api(attendee).post(f"/api/events/{event.slug}/rsvp",
                       rsvp_body({str(question.pk): '=HYPERLINK("http://evil.example","click")'}))

    response = api(organiser).get(f"/api/events/{event.slug}/rsvps.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows[0][-1].startswith("'=")
    assert rows[1][-1] == "'=HYPERLINK(\"http://evil.example\",\"click\")"


def test_the_organiser_list_filters_by_answer(api, organiser, event):
    question = ask(event, "choice", label="Diet", choices=["Vegan", "Omnivore"])
    for diet in ("Vegan", "Omnivore", "Vegan"):
        api(UserFactory()).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): diet}))

    page = api(organiser).get(f"/api/events/{event.slug}/rsvps?question={question.pk}&answer=vegan").json()
    csv_body = b"".join(api(organiser).get(
        f"/api/events/{event.slug}/rsvps.csv?question={question.pk}&answer=Omnivore").streaming_content)

    assert page["count"] == 2 and {i["answers"][str(question.pk)] for i in page["items"]} == {"Vegan"}
    assert csv_body.decode().count("\n") == 2


def test_checkin_answers_lists_only_questions_shown_at_the_door(event):
    diet = ask(event, "text", label="Dietary needs", show_at_checkin=True)
    access = ask(event, "text", label="Access needs", show_at_checkin=True)
    private = ask(event, "text", label="Why do you come?")
    alice, bob = RSVPFactory(event=event), RSVPFactory(event=event)
    stranger_rsvp = RSVPFactory()
    for question, rsvp, text in [(diet, alice, "vegan"), (access, alice, "wheelchair"), (private, alice, "fun"),
                                 (private, bob, "curious")]:
        Answer.objects.create(rsvp=rsvp, question=question, value=text, text=text)

    shown = selectors.checkin_answers(event, [alice.pk, bob.pk, stranger_rsvp.pk])

    assert shown == {alice.pk: [("Dietary needs", "vegan"), ("Access needs", "wheelchair")]}


def test_the_door_search_shows_check_in_answers(client, organiser, event):
    question = ask(event, "text", label="Dietary needs", show_at_checkin=True)
    rsvp = RSVPFactory(event=event, user=UserFactory(display_name="Zed Person"))
    Answer.objects.create(rsvp=rsvp, question=question, value="nut allergy", text="nut allergy")
    client.force_login(organiser)

    html = client.get(f"/events/{event.slug}/door/search/?q=Zed").content.decode()

    assert "Dietary needs" in html and "nut allergy" in html


def test_a_question_with_answers_is_hidden_not_deleted(api, organiser, attendee, event):
    question = ask(event, "text")
    unanswered = ask(event, "text")
    api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): "hi"}))

    refused = api(organiser).delete(f"/api/events/{event.slug}/questions/{question.pk}")
    hidden = api(organiser).patch(f"/api/events/{event.slug}/questions/{question.pk}", {"hidden": True})
    deleted = api(organiser).delete(f"/api/events/{event.slug}/questions/{unanswered.pk}")

    assert refused.status_code == 409 and refused.json()["error"] == "has_answers"
    assert "hide" in refused.json()["detail"]
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert deleted.status_code == 204
    assert Answer.objects.filter(question=question).exists()
    assert [q["id"] for q in api(attendee).get(f"/api/events/{event.slug}/questions").json()] == []


def test_organisers_manage_questions_through_the_api(api, organiser, event):
    created = api(organiser).post(f"/api/events/{event.slug}/questions", {
        "label": "T-shirt", "kind": "choice", "choices": ["S", "M"], "required": True, "help_text": "Unisex"})
    bad = api(organiser).post(f"/api/events/{event.slug}/questions", {"label": "T", "kind": "choice", "choices": []})
    nul = api(organiser).post(f"/api/events/{event.slug}/questions", {"label": "a\x00b", "kind": "text"})
    wrong_kind = api(organiser).post(f"/api/events/{event.slug}/questions", {"label": "a", "kind": "date"})

    assert created.status_code == 201 and created.json()["choices"] == ["S", "M"]
    assert bad.status_code == nul.status_code == wrong_kind.status_code == 400


def test_other_organisers_and_attendees_cannot_touch_questions(api, organiser, attendee, event):
    rival = UserFactory()
    from meetup.accounts.services import organiser_grant

    organiser_grant(user=rival)
    theirs = EventFactory()
    theirs.organisers.add(rival)
    question = ask(event, "text")

    assert api(rival).patch(f"/api/events/{theirs.slug}/questions/{question.pk}", {"label": "x"}).status_code == 404
    assert api(rival).delete(f"/api/events/{theirs.slug}/questions/{question.pk}").status_code == 404
    assert api(rival).patch(f"/api/events/{event.slug}/questions/{question.pk}", {"label": "x"}).status_code == 403
    assert api(attendee).post(f"/api/events/{event.slug}/questions", {"label": "x"}).status_code == 403
    assert api(None).post(f"/api/events/{event.slug}/questions", {"label": "x"}).status_code == 401
    assert api(organiser).delete(f"/api/events/{event.slug}/questions/{2**63}").status_code in (404, 400)
    assert Question.objects.get(pk=question.pk).label == "Q"


def test_huge_answer_payloads_are_refused_not_crashed(api, attendee, event):
    question = ask(event, "long_text")

    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): "z" * 2_000_000}))

    assert response.status_code == 400



def test_a_body_over_the_upload_limit_is_refused_not_crashed(api, attendee, event):
    question = ask(event, "long_text")

    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): "z" * 3_000_000}))

    assert 400 <= response.status_code < 500


def test_nul_bytes_in_answer_keys_and_choices_are_400(api, organiser, attendee, event):
    question = ask(event, "multi_choice", choices=["A", "B"])

    key = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({"1\x00": "x"}))
    choice = api(attendee).post(f"/api/events/{event.slug}/rsvp", rsvp_body({str(question.pk): ["A\x00"]}))
    made = api(organiser).post(f"/api/events/{event.slug}/questions",
                               {"label": "L", "kind": "choice", "choices": ["a\x00", "b"]})

    assert key.status_code == choice.status_code == made.status_code == 400
    assert list(made.json()["fields"]) == ["choices.0"]  # refused at the edge, naming the field
    assert not event.questions.filter(label="L").exists()


def test_organisers_add_edit_and_remove_questions_on_the_page(client, organiser, attendee, event):
    client.force_login(organiser)

    added = client.post(f"/events/{event.slug}/questions/", {
        "question-label": "Diet", "question-kind": "choice", "question-choices_text": "Vegan\nOmnivore\n",
        "question-required": "on", "question-show_at_checkin": "on", "question-help_text": "For the catering"})
    question = Question.objects.get(event=event)
    edited = client.post(f"/events/{event.slug}/questions/?edit={question.pk}", {
        "question-label": "Diet please", "question-kind": "choice", "question-choices_text": "Vegan\nOmnivore",
        "question-position": "3"})
    Answer.objects.create(rsvp=RSVPFactory(event=event, user=attendee), question=question, value="Vegan",
                          text="Vegan")
    client.post(f"/events/{event.slug}/questions/{question.pk}/remove/")

    assert added.status_code == edited.status_code == 302
    question.refresh_from_db()
    assert (question.label, question.choices, question.position, question.hidden) == (
        "Diet please", ["Vegan", "Omnivore"], 3, True)
    assert "Diet please" in client.get(f"/events/{event.slug}/questions/").content.decode()


def test_the_questions_page_is_for_this_events_organisers_only(client, attendee, event):
    client.force_login(attendee)

    assert client.get(f"/events/{event.slug}/questions/").status_code == 403
    assert client.post(f"/events/{event.slug}/questions/", {"question-label": "x", "question-kind": "text"}
                       ).status_code == 403


def test_a_scan_at_the_door_shows_the_check_in_answers(client, organiser, event):
    question = ask(event, "text", label="Access needs", show_at_checkin=True)
    private = ask(event, "text", label="Employer")
    rsvp = RSVPFactory(event=event)
    Answer.objects.create(rsvp=rsvp, question=question, value="step-free", text="step-free")
    Answer.objects.create(rsvp=rsvp, question=private, value="Acme", text="Acme")
    client.force_login(organiser)

    html = client.post(f"/events/{event.slug}/door/checkin/", {"code": rsvp.ticket_code},
                       headers={"HX-Request": "true"}).content.decode()

    assert "Access needs" in html and "step-free" in html
    assert "Acme" not in html


def test_the_event_knows_whether_it_asks_questions(api, attendee, event):
    question = ask(event, "text", required=True)
    event.refresh_from_db()
    asked = event.asks_questions

    services.question_update(question=question, hidden=True)
    event.refresh_from_db()
    response = api(attendee).post(f"/api/events/{event.slug}/rsvp", {"accept_code_of_conduct": True})

    assert asked is True and event.asks_questions is False
    assert response.status_code == 201  # the hidden required question is no longer asked


def test_organisers_add_the_standard_access_needs_question_once(client, organiser, event):
    client.force_login(organiser)

    first = client.post(f"/events/{event.slug}/questions/", {"access_needs": "1"}, follow=True)
    again = client.post(f"/events/{event.slug}/questions/", {"access_needs": "1"}, follow=True)

    [question] = Question.objects.filter(event=event)
    assert (question.label, question.kind, question.show_at_checkin, question.required) == (
        "Access needs", "long_text", True, False)
    assert "access needs question is added" in first.content.decode()
    assert "already asks about access needs" in again.content.decode()


def test_only_the_event_s_organisers_add_the_access_needs_question(client, attendee, event):
    client.force_login(attendee)

    assert client.post(f"/events/{event.slug}/questions/", {"access_needs": "1"}).status_code in (403, 404)
    assert not Question.objects.filter(event=event).exists()
