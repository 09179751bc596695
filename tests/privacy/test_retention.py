"""Retention: beat shreds the phone numbers of people whose last event ended more than
RETENTION_DAYS ago (and who have not signed in since), and the audit log says how many."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from meetup.accounts.models import ConsentRecord, User
from meetup.accounts.services import profile_update
from meetup.accounts.tasks import retention_shred
from meetup.audit.models import AuditEntry
from tests.factories import EventFactory, RSVPFactory, UserFactory
from tests.test_settings import _load_settings

T0 = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)


def _attended(*, ended_days_before_now: int, now: datetime, phone: str, last_login=None) -> User:
    person = UserFactory(last_login=last_login)
    profile_update(user=person, source="profile", phone=phone, sms_opt_in=True)
    starts = now - timedelta(days=ended_days_before_now, hours=3)
    RSVPFactory(user=person, event=EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=3)))
    return person


@pytest.fixture
def people(db):
    now = T0 + timedelta(days=400)
    with time_machine.travel(T0, tick=False):
        long_ago = _attended(ended_days_before_now=400, now=now, phone="+14155550101")
        recent = _attended(ended_days_before_now=100, now=now, phone="+14155550102")
        back_since = _attended(ended_days_before_now=400, now=now, phone="+14155550103",
                               last_login=now - timedelta(days=10))
        never_came = UserFactory()
        profile_update(user=never_came, source="profile", phone="+14155550104")
    return {"now": now, "long_ago": long_ago, "recent": recent, "back_since": back_since, "never_came": never_came}


def _phone(user) -> str | None:
    phone = User.objects.get(pk=user.pk).phone
    return str(phone) if phone else None


def test_the_beat_job_shreds_phones_past_the_retention_period(people):
    with time_machine.travel(people["now"], tick=False):
        counts = retention_shred()

    assert counts["phone_numbers"] == 1
    assert _phone(people["long_ago"]) is None
    assert User.objects.get(pk=people["long_ago"].pk).sms_opt_in is False
    assert _phone(people["recent"]) == "+14155550102"
    assert _phone(people["back_since"]) == "+14155550103"
    assert _phone(people["never_came"]) == "+14155550104"


def test_the_sms_consent_withdrawal_is_in_the_ledger(people):
    with time_machine.travel(people["now"], tick=False):
        retention_shred()

    last = ConsentRecord.objects.filter(user=people["long_ago"]).first()
    assert (last.channel, last.granted, last.source) == ("sms", False, "retention")


def test_the_run_is_reported_in_the_audit_log(people):
    with time_machine.travel(people["now"], tick=False):
        retention_shred()

    entry = AuditEntry.objects.get(action=AuditEntry.Action.RETENTION)
    assert entry.actor_id is None and "1 records" in entry.summary and entry.detail["phone_numbers"] == 1


def test_the_period_is_configurable(people, settings):
    settings.RETENTION_DAYS = 30

    with time_machine.travel(people["now"], tick=False):
        retention_shred()

    assert _phone(people["recent"]) is None


def test_running_again_shreds_nothing_more(people):
    with time_machine.travel(people["now"], tick=False):
        retention_shred()
        again = retention_shred()

    assert again["phone_numbers"] == 0


def test_beat_runs_it_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["retention"]

    assert entry["task"] == "accounts.retention_shred" and entry["schedule"] == 86400.0


@pytest.mark.parametrize("value", ["a year", "0", "-5"])
def test_a_bad_retention_period_stops_start_up(tmp_path, value):
    result = _load_settings(tmp_path, RETENTION_DAYS=value)

    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and "RETENTION_DAYS" in result.stderr


def test_answers_to_events_past_the_retention_period_are_shredded(db):
    from meetup.events.models import Answer, Question

    now = T0 + timedelta(days=400)
    with time_machine.travel(T0, tick=False):
        old = RSVPFactory(event=EventFactory(starts_at=T0 - timedelta(days=1), ends_at=T0 - timedelta(hours=20)))
        recent = RSVPFactory(event=EventFactory(starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2)))
    for rsvp in (old, recent):
        question = Question.objects.create(event=rsvp.event, label="Access needs", kind="long_text")
        Answer.objects.create(rsvp=rsvp, question=question, value="Step-free route", text="Step-free route")

    with time_machine.travel(now, tick=False):
        retention_shred.apply()

    assert list(Answer.objects.values_list("rsvp_id", flat=True)) == [recent.pk]
    assert AuditEntry.objects.get(action=AuditEntry.Action.RETENTION).detail["answers"] == 1
