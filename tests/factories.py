from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from meetup.accounts.models import User
from meetup.events import capacity
from meetup.events.models import RSVP, Event, Venue

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Hall {n}")
    slug = factory.Sequence(lambda n: f"hall-{n}")
    address = "1 Example Street"
    timezone = "Europe/Paris"
    capacity_standing = 200


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Open Models Night {n}")
    slug = factory.Sequence(lambda n: f"open-models-night-{n}")
    description = "Demos and talks."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=3))
    timezone = "Europe/Paris"
    capacity = 100
    status = Event.Status.PUBLISHED

    @factory.post_generation
    def seats(event, create, extracted, **kwargs):
        if create:
            capacity.shards_create(event)


class RSVPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RSVP

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = RSVP.Status.GOING
    created_at = factory.LazyFunction(timezone.now)
    ticket_code = factory.LazyFunction(capacity.new_ticket_code)


def going(event, n: int) -> list[RSVP]:
    """n people going to `event`, arriving one after another, with the seats counted."""
    rsvps = [RSVPFactory(event=event) for _ in range(n)]
    capacity.recount(event)
    return rsvps
