"""A person with one record of every kind the platform keeps (Zenobia), and someone else with his
own (Bruno), so tests can check that an export holds all of hers and none of his, and that a
deletion leaves nothing of her anywhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetup.accounts.services import profile_update, signup_consent_record
from meetup.events import capacity
from meetup.events.models import RSVP, Answer, Question
from meetup.events.services import capacity_change, checkin, rsvp_create
from meetup.events.services.team import invitation_create
from meetup.showcase import services as showcase
from tests.factories import EventFactory, RSVPFactory, UserFactory
from tests.outbox import deliver_all
from tests.program.conftest import make_application, make_call
from tests.showcase.factories import ProjectFactory

ZENOBIA = {"username": "zquark77", "email": "zenobia.quark@example.net", "display_name": "Zenobia Quark",
           "first_name": "Zenobia", "last_name": "Quarkowski"}
ZENOBIA_PHONE = "+14155550199"
# What must not be found anywhere once she is deleted.
NEEDLES = ["zenobia", "quarkowski", "zquark77", "4155550199"]


def going_count(event) -> int:
    return RSVP.objects.filter(event=event, status=RSVP.Status.GOING).count()


@pytest.fixture
def bruno(db):
    return UserFactory(username="brunobrun", email="bruno.brun@example.com", display_name="Bruno Brun")


@pytest.fixture
def world(db, organiser, bruno):
    """Everything Zenobia can have, next to Bruno's things; returns a namespace of what was made."""
    person = UserFactory(**ZENOBIA)
    signup_consent_record(user=person)
    profile_update(user=person, source="profile", phone=ZENOBIA_PHONE, sms_opt_in=True)

    full = EventFactory(capacity=1, title="Tiny room")
    full.organisers.add(organiser)
    diet = Question.objects.create(event=full, label="Dietary needs", kind="text", show_at_checkin=True)
    mine, _ = rsvp_create(event=full, user=person, accept_code_of_conduct=True)
    waiting, _ = rsvp_create(event=full, user=bruno, accept_code_of_conduct=True)
    Answer.objects.create(rsvp=mine, question=diet, value="Zenobia Quark: no nuts", text="Zenobia Quark: no nuts")
    Answer.objects.create(rsvp=waiting, question=diet, value="Rice for Bruno", text="Rice for Bruno")

    past = EventFactory(starts_at=timezone.now() - timedelta(days=30), title="Last month")
    past.organisers.add(organiser)
    ticket = RSVPFactory(event=past, user=person)
    capacity.recount(past)
    checkin(event=past, code=ticket.ticket_code, actor=organiser)

    shared = EventFactory(title="Co-run night")
    shared.organisers.add(organiser, person)
    capacity_change(event=shared, capacity=50, actor=person)
    invitation_create(event=full, email=person.email, role="door", invited_by=organiser)
    deliver_all()  # her ticket email and the invitation go out through the outbox

    own = showcase.project_create(user=person, title="Zen garden", summary="A calm chatbot.")
    theirs = ProjectFactory(created_by=bruno, members=[person], title="Brunos bench")
    showcase.like_set(project=theirs, user=person, liked=True)
    showcase.like_set(project=theirs, user=bruno, liked=True)
    comment = showcase.comment_create(project=theirs, author=person, body="Lovely work on the eval.")
    showcase.comment_create(project=own, author=bruno, body="Bruno was here.")
    collection = showcase.collection_create(owner=person, name="Favourites")
    showcase.collection_add(collection=collection, project=theirs, user=person)
    showcase.report_create(reporter=person, reason="spam", details="Looks like an advert to me.", project=theirs)

    call = make_call(organiser)
    application = make_application(call, person, name="Calm Labs")
    make_application(call, bruno, name="Bench Co")

    class World:
        pass

    world = World()
    world.__dict__.update(person=person, bruno=bruno, full=full, waiting=waiting, past=past, shared=shared,
                          own=own, theirs=theirs, comment=comment, collection=collection, call=call,
                          application=application)
    return world
