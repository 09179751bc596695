import pytest
from django.db import DatabaseError, connection, transaction

from meetup.accounts.models import ConsentRecord
from meetup.accounts.services import consent_set


@pytest.fixture
def record(attendee):
    consent_set(user=attendee, channel="email", granted=False, source="profile")
    return ConsentRecord.objects.get()


def test_a_ledger_row_cannot_be_saved_again(record):
    record.granted = True

    with pytest.raises(TypeError, match="append-only"):
        record.save()


def test_the_ledger_refuses_bulk_updates(record):
    with pytest.raises(TypeError, match="append-only"):
        ConsentRecord.objects.filter(pk=record.pk).update(granted=True)


@pytest.mark.postgres
def test_postgresql_refuses_an_update_that_bypasses_the_orm(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_consentrecord SET granted = true WHERE id = %s", [record.pk])

    record.refresh_from_db()
    assert record.granted is False
