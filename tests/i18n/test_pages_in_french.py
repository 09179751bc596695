"""Every page, read in French by each kind of visitor, has no English left from the site's own text
(see tests/i18n/english.py for how English is found). The data is French or neutral, so whatever
English is found was written by us."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetup.broadcasts import services as broadcast_services
from meetup.broadcasts.render import unsubscribe_token
from meetup.demos.models import Demo, DemoRun
from meetup.events.services import rsvp_create
from meetup.program import services as program_services
from meetup.program.models import TeamInvitation
from meetup.showcase.models import Collection, CollectionItem, Comment, ProjectInvitation, Report
from tests.factories import EventFactory, UserFactory, VenueFactory
from tests.i18n.english import english_left, marked_fragments
from tests.showcase.factories import CommentFactory, LinkFactory, ProjectFactory


@pytest.fixture
def world(db, organiser, attendee):
    organiser.display_name = "Olivia Martin"  # people's names are data, and "Organiser" is English
    organiser.save(update_fields=["display_name"])
    judge = UserFactory(username="jules", email="jules@example.org", display_name="Jules Juré")
    venue = VenueFactory(name="Halle Pajol", address="20 esplanade Nathalie Sarraute, Paris")
    event = EventFactory(title="Soirée des modèles ouverts", description="Démos et exposés.", venue=venue,
                         translations={"fr": {"title": "Soirée des modèles ouverts"}})
    event.organisers.add(organiser)
    project = ProjectFactory(title="Générateur de haïkus", summary="Une démo construite sur un modèle ouvert.",
                             description="Il **marche**.", created_by=attendee, event=event)
    link = LinkFactory(project=project)
    demo = Demo.objects.create(project=project, hub_model=link.hub_model, task="text-generation", revision="a" * 40,
                               enabled=True)
    DemoRun.objects.create(demo=demo, user=attendee, input="Il était une fois", status="failed",
                           error="The model could not answer this input.")
    other = ProjectFactory(title="Traducteur", summary="Traduit.", description="Oui.", created_by=organiser)
    CommentFactory(project=other, author=attendee, body="Bof", visibility="hidden")
    ProjectInvitation.objects.create(project=other, user=attendee, invited_by=organiser)
    CommentFactory(project=project, author=organiser, body="Très belle démo !")
    Report.objects.create(reporter=organiser, project=project, reason=Report.Reason.choices[0][0],
                          details="Lien cassé")
    collection = Collection.objects.create(owner=attendee, name="Mes favoris", description="Sélection",
                                           is_public=True)
    CollectionItem.objects.create(collection=collection, project=project)
    now = timezone.now()
    call = program_services.call_create(
        organiser=organiser, title="Accélérateur printemps", opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10), timezone="Europe/Paris", description="Cinq startups, douze semaines.",
        questions=["Pourquoi maintenant ?"], criteria=[("Équipe", 2), ("Marché", 1)], judges=[judge.username])
    application = program_services.application_create(
        call=call, user=attendee, startup_name="Lumière IA", pitch="Nous affinons des modèles.",
        answers={str(call.questions.get().pk): "Parce que."}, submit=True)
    TeamInvitation.objects.create(application=application, user=organiser, invited_by=attendee)
    rsvp_create(event=event, user=attendee, accept_code_of_conduct=True)
    VenueFactory(name="Pavillon Baltard", slug="pavillon", address="12 avenue Victor Hugo, Nogent",
                 capacity_standing=800)
    broadcast = broadcast_services.broadcast_create(event=event, created_by=organiser, body="Rendez-vous à 18 h.",
                                                    subject="Rappel", channels="email")
    return {"event": event, "project": project, "run": DemoRun.objects.get(), "collection": collection, "call": call,
            "application": application, "broadcast": broadcast, "judge": judge}


def _pages(world, organiser, attendee):
    event, project, call = world["event"], world["project"], world["call"]
    application, broadcast = world["application"], world["broadcast"]
    anonymous = [
        reverse("home"), reverse("gallery"), reverse("project_detail", args=[project.slug]),
        reverse("program_home"), reverse("program_call", args=[call.slug]), reverse("account_login"),
        reverse("account_signup"), reverse("account_reset_password"), "/nowhere/",
        reverse("unsubscribe", args=["not-a-token"]), reverse("event_detail", args=[event.slug]),
        reverse("offer_page", args=["not-a-token"]), reverse("reconfirmation_page", args=["not-a-token"]),
    ]
    as_attendee = [
        reverse("home"), reverse("profile"), reverse("your_data"), reverse("collection_list"),
        reverse("collection_detail", args=[world["collection"].pk]), reverse("project_detail", args=[project.slug]),
        reverse("project_create"), reverse("project_edit", args=[project.slug]), reverse("program_home"),
        reverse("program_call", args=[call.slug]), reverse("program_apply", args=[call.slug]),
        reverse("program_application", args=[application.pk]),
        reverse("unsubscribe", args=[unsubscribe_token(attendee)]),
        reverse("account_email"), reverse("account_change_password"), reverse("event_detail", args=[event.slug]),
        reverse("my_tickets"), reverse("project_invitations"),
        reverse("comment_edit", args=[Comment.objects.get(author=attendee).pk]),
    ]
    as_organiser = [
        reverse("home"), reverse("gallery"), reverse("project_detail", args=[project.slug]),
        reverse("broadcast_compose", args=[event.slug]), reverse("broadcast_detail", args=[broadcast.pk]),
        reverse("event_audit_log", args=[event.slug]), reverse("moderation_queue"),
        reverse("program_call_create"), reverse("program_call_edit", args=[call.slug]),
        reverse("program_manage", args=[call.slug]), reverse("program_assignments", args=[call.slug]),
        reverse("program_application", args=[application.pk]), reverse("demo_setup", args=[project.slug]),
        reverse("event_detail", args=[event.slug]), reverse("event_dashboard", args=[event.slug]),
        reverse("door", args=[event.slug]), reverse("rsvp_manage", args=[event.slug]),
        reverse("event_edit", args=[event.slug]), reverse("event_create"),
        reverse("capacity_change", args=[event.slug]),
        reverse("capacity_change", args=[event.slug]) + "?capacity=150", reverse("event_team", args=[event.slug]),
        reverse("event_questions", args=[event.slug]), reverse("venue_list"), reverse("venue_create"),
        reverse("venue_detail", args=[event.venue.slug]), reverse("venue_move", args=[event.slug, "pavillon"]),
        reverse("door_search", args=[event.slug]) + "?q=Ali", reverse("program_home"),
    ]
    as_attendee.append(reverse("demo_run", args=[world["run"].pk]))
    as_judge = [reverse("program_queue", args=[call.slug]), reverse("program_review", args=[application.pk])]
    return [(None, anonymous), (attendee, as_attendee), (organiser, as_organiser), (world["judge"], as_judge)]


def test_the_catalogue_gives_the_check_something_to_find():
    fragments = marked_fragments()
    assert "Upcoming events" in fragments and "Sign in" in fragments
    assert "Code" not in fragments  # the same word in French is not English left over


def test_every_page_reads_in_french_for_every_visitor(client, world, organiser, attendee):
    problems = {}
    for user, paths in _pages(world, organiser, attendee):
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
            assert response.status_code in (200, 404), (path, response.status_code)
            assert response["Content-Language"] == "fr"
            left = english_left(response.content.decode())
            if left:
                problems[f"{user.username if user else 'anonymous'} {path}"] = left
    assert not problems, "English left:\n" + "\n".join(f"{page}: {left}" for page, left in problems.items())


def test_the_same_pages_in_english_are_found_english(client, world, organiser, attendee):
    """The check is not vacuous: the home page in English is full of catalogue text."""
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    left = english_left(response.content.decode())
    assert "Upcoming events" in left and "Sign in" in left
    assert any(item.startswith("word 'the'") for item in left)


def test_an_event_shows_its_french_title_to_french_readers_and_the_original_to_others(client, world):
    event = world["event"]
    event.title, event.translations = "Open Models Night", {"fr": {"title": "Soirée des modèles ouverts"}}
    event.save()

    french = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Soirée des modèles ouverts" in french and "Open Models Night" not in french
    assert "Open Models Night" in english and "Soirée des modèles ouverts" not in english


def test_the_footer_switcher_changes_the_language_over_the_browsers(client, db):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="fr" lang="fr">Français</option>' in page  # each language in its own name

    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    french = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr">' in french and "Prochains événements" in french


def test_counts_agree_with_their_number_in_french(client, db):
    from tests.factories import going

    one, two = EventFactory(capacity=50), EventFactory(capacity=50)
    going(one, 1)
    going(two, 2)

    home = client.get("/", headers={"accept-language": "fr"}).content.decode()

    assert "<strong>1</strong> participant sur 50" in home
    assert "<strong>2</strong> participants sur 50" in home
