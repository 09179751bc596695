import pytest

from tests.factories import EventFactory, UserFactory, going


@pytest.fixture
def event(organiser):
    event = EventFactory(title="Open Models Night")
    event.organisers.add(organiser)
    return event


@pytest.fixture
def door_staff(event):
    user = UserFactory(username="dora", email="dora@example.org", display_name="Dora Door")
    event.door_staff.add(user)
    return user


@pytest.fixture
def tickets(event):
    return going(event, 5)
