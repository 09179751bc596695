"""List pages cost the same number of queries whatever the number of rows: the event list, the
gallery and the organiser's RSVP list at 10 and at 2,000 rows (the RSVP list in
tests/events/test_organiser.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetup.events import capacity
from meetup.events.models import Event
from meetup.showcase.models import Project
from tests.factories import EventFactory, UserFactory
from tests.showcase.factories import ProjectFactory


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _events(n: int) -> None:
    events = Event.objects.bulk_create(EventFactory.build() for _ in range(n))
    for event in events:
        capacity.shards_create(event)


def _projects(n: int) -> None:
    author = UserFactory()
    projects = Project.objects.bulk_create(ProjectFactory.build(created_by=author) for _ in range(n))
    Project.team.through.objects.bulk_create(
        Project.team.through(project_id=p.pk, user_id=author.pk) for p in projects)


@pytest.mark.parametrize(("path", "make"), [
    ("/", _events), ("/api/events", _events), ("/api/events?page=2", _events),
    ("/projects/", _projects), ("/projects/?sort=most_liked", _projects), ("/api/projects", _projects),
])
def test_list_pages_cost_the_same_queries_at_10_and_2000_rows(client, attendee, path, make):
    client.force_login(attendee)
    counts = []
    for n in (10, 2000):
        make(n)
        counts.append(_queries(client, path))
        Event.objects.all().delete()
        Project.objects.all().delete()

    assert counts[0] == counts[1]
    assert counts[0] <= 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_surge_rsvp_is_three_statements(api, settings):
    """Token, event, and the statement that takes a seat and inserts the RSVP (autocommit, the
    surge's path): nothing else on the way in or out for an event that asks no questions."""
    settings.READ_CACHE_SECONDS = 0
    event = EventFactory(capacity=5)
    caller = api(UserFactory())

    with CaptureQueriesContext(connection) as ctx:
        answer = caller.post(f"/api/events/{event.slug}/rsvp", {"accept_code_of_conduct": True})

    assert answer.status_code == 201 and answer.json()["status"] == "going"
    assert len(ctx.captured_queries) == 3, [q["sql"][:80] for q in ctx.captured_queries]
