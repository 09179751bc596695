import pytest
from django.contrib.auth.models import Group

from meetup.accounts.roles import MODERATOR_GROUP
from meetup.accounts.services import organiser_grant
from meetup.broadcasts.models import Broadcast
from tests.factories import EventFactory, RSVPFactory, UserFactory


@pytest.fixture
def night(organiser):
    event = EventFactory(title="Open Models Night", capacity=10)
    event.organisers.add(organiser)
    return event


@pytest.fixture
def other_night(db):
    other = UserFactory(username="otto")
    organiser_grant(user=other)
    event = EventFactory(title="Another Night")
    event.organisers.add(other)
    return event


@pytest.fixture
def people(night, organiser, attendee, other_night):
    door = UserFactory(username="dora")
    night.door_staff.add(door)
    moderator = UserFactory(username="mo")
    moderator.groups.add(Group.objects.get(name=MODERATOR_GROUP))
    staff = UserFactory(username="stella", is_staff=True, is_superuser=True)
    RSVPFactory(event=night, user=attendee, status="going", notified_status="going")
    return {"stranger": None, "attendee": attendee, "door": door, "moderator": moderator,
            "other_organiser": other_night.organisers.get(), "organiser": organiser, "staff": staff}


@pytest.fixture
def broadcast(night):
    return Broadcast.objects.create(event=night, subject="Hi", body="Hello", status="sent")
