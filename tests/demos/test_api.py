"""Asking for a run through the API: what is queued, what is refused with nothing queued, who
sees a run, who sets a demo up."""

import pytest

from meetup.demos.models import Demo, DemoRun
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def _runs(published):
    return [p for p in published if p["task"] == "demos.run"]


@pytest.fixture
def try_demo(api, django_capture_on_commit_callbacks):
    """POST a run as `user`, committing as a real request would, so anything queued is published."""

    def post(user, demo, text):
        with django_capture_on_commit_callbacks(execute=True):
            return api(user).post(f"/api/projects/{demo.project.slug}/demo", {"input": text})

    return post


def test_a_run_is_queued_on_the_gpu_queue(try_demo, attendee, make_demo, published):
    demo = make_demo("text-generation")

    response = try_demo(attendee, demo, "hello world")

    assert response.status_code == 202, response.json()
    body = response.json()
    run = DemoRun.objects.get()
    assert (body["id"], body["status"], body["input"], body["revision"]) == (run.pk, "queued", "hello world",
                                                                             demo.revision)
    assert (run.user, run.ip) == (attendee, "127.0.0.1")
    assert _runs(published) == [{"task": "demos.run", "args": [run.pk], "eta": None}]


def test_runs_queued_while_a_task_is_on_its_way_wake_no_second_one(try_demo, attendee, stranger, make_demo,
                                                                   published):
    demo, other = make_demo("text-generation"), make_demo("fill-mask")

    first = try_demo(attendee, demo, "hello").json()["id"]
    try_demo(stranger, demo, "world")
    third = try_demo(attendee, other, "open [MASK]").json()["id"]

    assert [p["args"] for p in _runs(published)] == [[first], [third]]  # one task per demo takes the batch


def test_demo_runs_are_routed_to_the_gpu_queue_and_the_sweeper_is_not():
    from meetup.celery import app

    assert app.amqp.router.route({}, "demos.run", args=(1,))["queue"].name == "gpu"
    assert app.amqp.router.route({}, "demos.sweep")["queue"].name == "default"


def test_a_disabled_demo_refuses_runs_and_queues_nothing(try_demo, attendee, make_demo, published):
    demo = make_demo("text-generation", enabled=False)

    response = try_demo(attendee, demo, "hello")

    assert response.status_code == 409
    assert response.json()["error"] == "demo_disabled"
    assert not DemoRun.objects.exists() and not _runs(published)


def test_a_model_off_the_allow_list_refuses_runs_and_queues_nothing(
        try_demo, attendee, make_demo, published, settings):
    settings.DEMO_ALLOWED_MODELS = ["someone/else"]
    demo = make_demo("text-generation")

    response = try_demo(attendee, demo, "hello")

    assert response.status_code == 403
    assert response.json()["error"] == "model_not_allowed"
    assert not DemoRun.objects.exists() and not _runs(published)


def test_the_allow_list_admits_the_models_it_names(api, attendee, make_demo, settings):
    demo = make_demo("text-generation")
    settings.DEMO_ALLOWED_MODELS = [demo.repo_id]

    assert api(attendee).post(f"/api/projects/{demo.project.slug}/demo", {"input": "hi"}).status_code == 202


def test_a_project_without_a_demo_answers_404(api, attendee, make_demo):
    from tests.showcase.factories import ProjectFactory

    project = ProjectFactory()

    response = api(attendee).post(f"/api/projects/{project.slug}/demo", {"input": "hello"})

    assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize(("task", "text", "message"), [
    ("text-generation", "x" * 51, "At most 50 characters"),
    ("text-generation", "   ", "Write something"),
    ("fill-mask", "no mask here", "[MASK]"),
    ("fill-mask", "[MASK] and [MASK]", "[MASK]"),
    ("sentence-similarity", "only one line", "One sentence per line"),
])
def test_inputs_over_the_limits_or_of_the_wrong_shape_are_refused_and_nothing_is_queued(
        try_demo, attendee, make_demo, published, task, text, message):
    demo = make_demo(task, max_input_chars=50)

    response = try_demo(attendee, demo, text)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and message in response.json()["fields"]["input"][0]
    assert not DemoRun.objects.exists() and not _runs(published)


def test_the_site_wide_input_cap_wins_over_a_demo_s_own(api, attendee, make_demo, settings):
    settings.DEMO_MAX_INPUT_CHARS = 10
    demo = make_demo("text-generation", max_input_chars=500)

    response = api(attendee).post(f"/api/projects/{demo.project.slug}/demo", {"input": "x" * 11})

    assert response.status_code == 400


def test_a_person_over_their_rate_limit_is_refused_with_429_and_nothing_more_is_queued(
        try_demo, attendee, make_demo, published, settings):
    settings.DEMO_RUNS_PER_MINUTE_USER = 2
    demo = make_demo("text-generation")

    statuses = [try_demo(attendee, demo, "hi").status_code for _ in range(3)]

    assert statuses == [202, 202, 429]
    assert DemoRun.objects.count() == 2


def test_an_address_over_its_rate_limit_is_refused_whoever_asks(api, make_demo, settings):
    settings.DEMO_RUNS_PER_MINUTE_IP = 3
    demo = make_demo("text-generation")
    people = UserFactory.create_batch(4)

    statuses = [api(person).post(f"/api/projects/{demo.project.slug}/demo", {"input": "hi"}).status_code
                for person in people]

    assert statuses == [202, 202, 202, 429]
    assert DemoRun.objects.count() == 3


def test_strangers_without_a_token_cannot_run_a_demo(api, make_demo):
    demo = make_demo("text-generation")

    assert api(None).post(f"/api/projects/{demo.project.slug}/demo", {"input": "hi"}).status_code == 401


def test_a_run_is_seen_by_its_author_and_the_demo_s_organisers_only(api, attendee, stranger, organiser, make_demo):
    event = EventFactory()
    event.organisers.add(organiser)
    demo = make_demo("text-generation")
    demo.project.event = event
    demo.project.save()
    run = DemoRun.objects.create(demo=demo, user=attendee, input="my secret prompt")

    assert api(attendee).get(f"/api/demo-runs/{run.pk}").json()["input"] == "my secret prompt"
    assert api(organiser).get(f"/api/demo-runs/{run.pk}").status_code == 200
    assert api(stranger).get(f"/api/demo-runs/{run.pk}").status_code == 404


def test_the_event_s_organiser_sets_up_a_demo_pinned_to_the_model_s_current_sha(api, organiser, make_demo):
    from tests.showcase.factories import LinkFactory

    event = EventFactory()
    event.organisers.add(organiser)
    link = LinkFactory(project__event=event)

    response = api(organiser).put(f"/api/projects/{link.project.slug}/demo", {
        "repo_id": link.hub_model.repo_id, "task": "text-generation", "enabled": True, "max_new_tokens": 32})

    assert response.status_code == 200, response.json()
    demo = Demo.objects.get(project=link.project)
    assert (demo.revision, demo.enabled, demo.max_new_tokens) == (link.hub_model.sha, True, 32)
    assert response.json()["revision"] == link.hub_model.sha


def test_a_demo_can_only_use_a_model_the_project_links(api, organiser):
    from tests.showcase.factories import LinkFactory

    link = LinkFactory()

    response = api(organiser).put(f"/api/projects/{link.project.slug}/demo", {
        "repo_id": "someone/unlinked", "task": "fill-mask"})

    assert response.status_code == 400 and "repo_id" in response.json()["fields"]
    assert not Demo.objects.exists()


def test_attendees_and_other_events_organisers_cannot_set_up_a_demo(api, attendee, organiser):
    from tests.showcase.factories import LinkFactory

    link = LinkFactory(project__event=EventFactory())  # olivia does not organise this event
    body = {"repo_id": link.hub_model.repo_id, "task": "text-generation", "enabled": True}

    assert api(attendee).put(f"/api/projects/{link.project.slug}/demo", body).status_code == 403
    assert api(organiser).put(f"/api/projects/{link.project.slug}/demo", body).status_code == 403
    assert not Demo.objects.exists()
