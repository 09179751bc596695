import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meetup.events import capacity
from meetup.events.models import RSVP
from tests.factories import EventFactory, RSVPFactory, UserFactory

_numbers = itertools.count(100)


def person(*, sms=True, email=True, phone=None, **kwargs):
    """Someone who RSVPs: a US number (Pacific time) and an address, with the consents given."""
    return UserFactory(phone=phone or f"+1415555{next(_numbers):04d}", sms_opt_in=sms, email_opt_in=email, **kwargs)


def rsvp(event, user, status=RSVP.Status.GOING, **kwargs):
    # Already told where they stand, so no ticket email is owed.
    made = RSVPFactory(event=event, user=user, status=status, notified_status=status, **kwargs)
    capacity.recount(event)
    return made


@pytest.fixture(autouse=True)
def daytime():
    """Midday in San Francisco, so announcements by text are not held for quiet hours unless a
    test travels into the night itself."""
    with time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles"))):
        yield


@pytest.fixture
def event(db):
    # Full with the five going below, so the sixth stays on the waitlist.
    return EventFactory(title="Open Models Night", timezone="America/Los_Angeles", capacity=5)


@pytest.fixture
def crowd(event):
    """Going: two with both consents, one email-only, one text-only, one with neither; one waitlisted."""
    people = {
        "both1": person(), "both2": person(), "email_only": person(sms=False), "sms_only": person(email=False),
        "neither": person(sms=False, email=False), "waiting": person(),
    }
    for name, user in people.items():
        rsvp(event, user, RSVP.Status.WAITLISTED if name == "waiting" else RSVP.Status.GOING)
    return people
