"""The "try it" box on a project page: the form, the run polling itself, escaped output, and the
organisers' setup page."""

import pytest

from meetup.demos.models import Demo, DemoRun
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_visitor_gets_a_try_it_box_on_a_project_with_a_demo(client, attendee, make_demo):
    demo = make_demo("fill-mask", max_input_chars=120)
    client.force_login(attendee)

    page = client.get(f"/projects/{demo.project.slug}/").content.decode()

    assert 'id="demo"' in page and "Try it" in page and 'maxlength="120"' in page
    assert f'hx-post="/projects/{demo.project.slug}/demo/"' in page and "[MASK]" in page


def test_a_switched_off_demo_says_so_and_offers_no_form(client, attendee, make_demo):
    demo = make_demo("text-generation", enabled=False)
    client.force_login(attendee)

    page = client.get(f"/projects/{demo.project.slug}/").content.decode()

    assert "switched off" in page and 'name="input"' not in page


def test_a_project_without_a_demo_shows_no_box_to_visitors(client, attendee):
    from tests.showcase.factories import LinkFactory

    link = LinkFactory()
    client.force_login(attendee)

    assert 'id="demo"' not in client.get(f"/projects/{link.project.slug}/").content.decode()


def test_an_htmx_run_answers_with_a_fragment_that_polls_until_the_run_ends(client, attendee, make_demo):
    demo = make_demo("text-generation")
    client.force_login(attendee)

    response = client.post(f"/projects/{demo.project.slug}/demo/", {"input": "hello"}, headers={"HX-Request": "true"})

    run = DemoRun.objects.get()
    assert response.status_code == 202
    assert f'hx-get="/demo-runs/{run.pk}/"' in response.content.decode() and 'hx-trigger="every 1s"' in (
        response.content.decode())
    DemoRun.objects.filter(pk=run.pk).update(status="done", output={"text": "world"}, latency_ms=12, device="cpu")
    finished = client.get(f"/demo-runs/{run.pk}/").content.decode()
    assert "hx-get" not in finished and "<strong>world</strong>" in finished


def test_a_run_s_output_is_shown_as_escaped_text(client, attendee, make_demo):
    demo = make_demo("text-generation")
    run = DemoRun.objects.create(demo=demo, user=attendee, input="<b>hi</b>", status="done",
                                 output={"text": "<script>alert(1)</script>"}, latency_ms=5, device="cpu")
    client.force_login(attendee)

    page = client.get(f"/demo-runs/{run.pk}/").content.decode()

    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;" in page


def test_a_refused_run_shows_why_in_the_box(client, attendee, make_demo, settings):
    settings.DEMO_RUNS_PER_MINUTE_USER = 1
    demo = make_demo("text-generation")
    client.force_login(attendee)
    client.post(f"/projects/{demo.project.slug}/demo/", {"input": "hello"}, headers={"HX-Request": "true"})

    response = client.post(f"/projects/{demo.project.slug}/demo/", {"input": "again"},
                           headers={"HX-Request": "true"})

    assert response.status_code == 429 and "Too many demo runs" in response.content.decode()
    assert DemoRun.objects.count() == 1


def test_without_htmx_a_run_goes_back_to_the_project_page_showing_it(client, attendee, make_demo):
    demo = make_demo("text-generation")
    client.force_login(attendee)

    response = client.post(f"/projects/{demo.project.slug}/demo/", {"input": "hello"}, follow=True)

    run = DemoRun.objects.get()
    assert response.redirect_chain[-1][0] == f"/projects/{demo.project.slug}/?run={run.pk}#demo"
    assert f'id="demo-run-{run.pk}"' in response.content.decode()


def test_nobody_else_sees_a_visitor_s_run(client, stranger, attendee, make_demo):
    demo = make_demo("text-generation")
    run = DemoRun.objects.create(demo=demo, user=attendee, input="private")
    client.force_login(stranger)

    assert client.get(f"/demo-runs/{run.pk}/").status_code == 404


def test_the_event_s_organiser_sets_a_demo_up_from_the_project_page(client, organiser):
    from tests.showcase.factories import LinkFactory

    event = EventFactory()
    event.organisers.add(organiser)
    link = LinkFactory(project__event=event)
    client.force_login(organiser)
    assert "Set one up" in client.get(f"/projects/{link.project.slug}/").content.decode()

    response = client.post(f"/projects/{link.project.slug}/demo/setup/", {
        "repo_id": link.hub_model.repo_id, "task": "text-generation", "enabled": "on", "max_input_chars": 200,
        "max_new_tokens": 20})

    assert response.status_code == 302
    demo = Demo.objects.get(project=link.project)
    assert (demo.enabled, demo.revision, demo.max_input_chars) == (True, link.hub_model.sha, 200)


def test_attendees_cannot_open_the_setup_page(client, attendee, make_demo):
    demo = make_demo("text-generation")
    client.force_login(attendee)

    assert client.get(f"/projects/{demo.project.slug}/demo/setup/").status_code == 403
