"""Invariant 1 under load: going RSVPs never exceed capacity, however many requests race.

Each race first runs a naive read-then-write control to show that the race is real here, then the
service under the same load. Threads use their own database connections and start together."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from meetup.events import capacity, services
from meetup.events.models import RSVP
from tests.concurrency import race
from tests.factories import EventFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def naive_rsvp(event, user):
    """The bug this design avoids: read the count, decide in Python, write."""
    with transaction.atomic():
        going = RSVP.objects.filter(event=event, status="going").count()
        time.sleep(0.005)  # the rest of a request's work between the read and the write
        status = "going" if going < event.capacity else "waitlisted"
        RSVP.objects.create(event=event, user=user, status=status, created_at=timezone.now(),
                            ticket_code=capacity.new_ticket_code())


def rsvp(event, user):
    return services.rsvp_create(event=event, user=user, accept_code_of_conduct=True)[0]


def assert_fair(event, capacity_):
    going = list(RSVP.objects.filter(event=event, status="going").order_by("created_at"))
    waiting = list(RSVP.objects.filter(event=event, status="waitlisted").order_by("created_at", "id"))
    assert len(going) == sum(event.shards.values_list("taken", flat=True))
    assert len(going) <= capacity_
    if going and waiting:
        # Everyone going got their seat before anyone was told to wait.
        assert going[-1].created_at <= waiting[0].created_at
    return going, waiting




@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestOnPostgreSQL:
    def test_control_a_naive_read_then_write_oversells(self):
        event = EventFactory(capacity=10)
        users = UserFactory.create_batch(100)

        race(100, lambda i: naive_rsvp(event, users[i]))

        assert RSVP.objects.filter(event=event, status="going").count() > 10

    def test_the_service_grants_exactly_capacity_and_waitlists_the_rest_in_order(self, api):
        event = EventFactory(capacity=10)
        users = UserFactory.create_batch(100)

        results = race(100, lambda i: rsvp(event, users[i]).status)

        assert results.count("going") == 10 and results.count("waitlisted") == 90
        going, waiting = assert_fair(event, 10)
        assert len(going) == 10 and len(waiting) == 90
        positions = [api(r.user).get(f"/api/events/{event.slug}/rsvp").json()["waitlist_position"]
                     for r in waiting]
        assert positions == list(range(1, 91))

    def test_repeated_rsvps_by_one_user_racing_give_one_rsvp_and_one_seat(self):
        event = EventFactory(capacity=5)
        user = UserFactory()

        race(20, lambda i: rsvp(event, user).pk)

        assert RSVP.objects.filter(event=event).count() == 1
        assert sum(event.shards.values_list("taken", flat=True)) == 1

    def test_cancellations_racing_new_rsvps_hand_seats_to_the_waitlist_in_order(self):
        event = EventFactory(capacity=10)
        first = [rsvp(event, u) for u in UserFactory.create_batch(10)]
        waiting = [rsvp(event, u) for u in UserFactory.create_batch(20)]
        newcomers = UserFactory.create_batch(60)

        def work(i):
            if i < 10:
                return services.rsvp_cancel(event=event, user=first[i].user).status
            return rsvp(event, newcomers[i - 10]).status

        results = race(70, work)

        assert results[:10] == ["cancelled"] * 10
        assert set(results[10:]) == {"waitlisted"}  # the waitlist was not empty: no newcomer jumps it
        going, still_waiting = assert_fair(event, 10)
        assert {r.pk for r in going} == {r.pk for r in waiting[:10]}
        assert [r.pk for r in still_waiting[:10]] == [r.pk for r in waiting[10:]]

    def test_a_capacity_increase_racing_new_rsvps_promotes_the_waitlist_first(self):
        event = EventFactory(capacity=5)
        [rsvp(event, u) for u in UserFactory.create_batch(5)]
        waiting = [rsvp(event, u) for u in UserFactory.create_batch(10)]
        newcomers = UserFactory.create_batch(40)

        def work(i):
            if i == 0:
                return services.capacity_change(event=event, capacity=20)
            return rsvp(event, newcomers[i - 1]).status

        race(41, work)

        going, _ = assert_fair(event, 20)
        assert len(going) == 20
        assert all(RSVP.objects.get(pk=r.pk).status == "going" for r in waiting)


SQLITE_SCRIPT = r"""
import json, os, sys, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from datetime import timedelta
call_command("migrate", verbosity=0)
from meetup.accounts.models import User
from meetup.events import capacity, services
from meetup.events.models import RSVP
mode, n, cap = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
organiser = User.objects.create(username="organiser")
now = timezone.now()
event = services.event_create(organiser=organiser, title="Surge", starts_at=now + timedelta(days=1),
                              ends_at=now + timedelta(days=1, hours=2), timezone="UTC", capacity=cap,
                              status="published")
users = [User.objects.create(username=f"u{i}") for i in range(n)]
barrier = threading.Barrier(n)
errors = []

def naive(user):
    # Deferred (not IMMEDIATE) transactions: the read does not take the write lock.
    with connection.cursor() as c:
        c.execute("BEGIN DEFERRED")
        going = RSVP.objects.filter(event=event, status="going").count()
        import time; time.sleep(0.005)
        status = "going" if going < cap else "waitlisted"
        try:
            RSVP.objects.create(event=event, user=user, status=status, created_at=timezone.now(),
                                ticket_code=capacity.new_ticket_code())
            c.execute("COMMIT")
        except Exception:
            c.execute("ROLLBACK")
            raise

def run(i):
    try:
        barrier.wait()
        if mode == "naive":
            naive(users[i])
        else:
            services.rsvp_create(event=event, user=users[i], accept_code_of_conduct=True)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
[t.start() for t in threads]
[t.join() for t in threads]
going = RSVP.objects.filter(event=event, status="going").count()
print(json.dumps({"going": going, "waitlisted": RSVP.objects.filter(event=event, status="waitlisted").count(),
                  "shards": sum(event.shards.values_list("taken", flat=True)), "errors": errors[:3],
                  "error_count": len(errors)}))
"""


def _sqlite_race(tmp_path, mode: str, n: int, cap: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="meetup.settings")
    result = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT, mode, str(n), str(cap)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_on_sqlite_a_naive_read_then_write_fails_or_oversells(tmp_path):
    outcome = _sqlite_race(tmp_path, "naive", 40, 10)

    # Either it oversells, or SQLite refuses the lock upgrade ("database is locked") and RSVPs are lost.
    assert outcome["going"] > 10 or outcome["error_count"] > 0, outcome


def test_on_sqlite_the_service_holds_capacity_from_threads(tmp_path):
    outcome = _sqlite_race(tmp_path, "service", 40, 10)

    assert outcome == {"going": 10, "waitlisted": 30, "shards": 10, "errors": [], "error_count": 0}
