"""The admin for organisers: their own events' data only, contacts only where allowed, changes
through services."""

from meetup.audit.models import AuditEntry
from meetup.events.models import RSVP
from tests.factories import RSVPFactory


def test_an_organiser_signs_in_to_the_admin_with_their_account(client, night, organiser):
    client.force_login(organiser)

    assert client.get("/admin/").status_code == 200


def test_attendees_and_strangers_are_sent_to_sign_in(client, people):
    assert client.get("/admin/").status_code == 302
    client.force_login(people["attendee"])
    assert client.get("/admin/").status_code == 302


def test_an_organisers_admin_lists_only_their_events_data(client, night, other_night, people):
    mine, theirs = RSVP.objects.get(event=night), RSVPFactory(event=other_night)
    client.force_login(people["organiser"])

    rsvps = client.get("/admin/events/rsvp/")
    events = client.get("/admin/events/event/")

    assert list(rsvps.context["cl"].queryset) == [mine]
    assert list(events.context["cl"].queryset) == [night]
    assert client.get(f"/admin/events/rsvp/{theirs.pk}/change/").status_code == 302  # "does not exist"
    assert client.get(f"/admin/events/event/{other_night.pk}/change/").status_code == 302


def test_staff_see_every_event(client, night, other_night, people):
    RSVPFactory(event=other_night)
    client.force_login(people["staff"])

    assert client.get("/admin/events/rsvp/").context["cl"].queryset.count() == 2


def test_contacts_show_to_the_events_organisers(client, night, people):
    client.force_login(people["organiser"])

    assert "alice@example.org" in client.get("/admin/events/rsvp/").content.decode()


def test_an_organiser_cannot_reach_people_or_other_admin_models(client, night, people):
    client.force_login(people["organiser"])

    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_rsvps_change_only_through_actions_that_call_services(client, night, people):
    rsvp = RSVP.objects.get(event=night)
    client.force_login(people["organiser"])

    response = client.post("/admin/events/rsvp/", {"action": "check_in", "_selected_action": [rsvp.pk]})

    assert response.status_code == 302
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is not None
    assert AuditEntry.objects.get().action == "checkin"
    assert client.post(f"/admin/events/rsvp/{rsvp.pk}/change/", {"status": "cancelled"}).status_code == 403


def test_promote_from_the_waitlist_action(client, night, people):
    waiting = RSVPFactory(event=night, status="waitlisted")
    client.force_login(people["organiser"])

    client.post("/admin/events/rsvp/", {"action": "promote", "_selected_action": [waiting.pk]})

    waiting.refresh_from_db()
    assert waiting.status == "going"


def test_export_selected_rsvps_as_safe_csv(client, night, people):
    rsvp = RSVP.objects.get(event=night)
    rsvp.user.display_name = "=HYPERLINK(\"http://evil\")"
    rsvp.user.save()
    client.force_login(people["organiser"])

    response = client.post("/admin/events/rsvp/", {"action": "export", "_selected_action": [rsvp.pk]})

    csv = b"".join(response.streaming_content).decode()
    assert "alice@example.org" in csv and "'=HYPERLINK" in csv


def test_moderators_see_reports_and_projects_but_not_rsvps(client, night, people):
    client.force_login(people["moderator"])

    assert client.get("/admin/showcase/report/").status_code == 200
    assert client.get("/admin/showcase/project/").status_code == 200
    assert client.get("/admin/events/rsvp/").status_code == 403


def test_hide_reported_content_action(client, night, people):
    from meetup.showcase import services as showcase
    from meetup.showcase.models import Report

    project = showcase.project_create(user=people["attendee"], title="Spam", summary="Buy now", event=night)
    report = showcase.report_create(reporter=people["door"], reason="spam", project=project)
    client.force_login(people["moderator"])

    client.post("/admin/showcase/report/", {"action": "hide_content", "_selected_action": [report.pk]})

    project.refresh_from_db()
    assert project.visibility == "hidden"
    assert Report.objects.get(pk=report.pk).status == "hidden"
