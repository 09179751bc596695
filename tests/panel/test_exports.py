import tracemalloc

import pytest
from django.db import connection

from meetup.events.models import RSVP
from tests.factories import RSVPFactory, UserFactory


def test_exports_neutralise_spreadsheet_formulas(client, night, organiser):
    for i, name in enumerate(["=1+1", "+cmd", "-2", "@SUM(A1)"]):
        RSVPFactory(event=night, user=UserFactory(username=f"evil{i}", display_name=name),
                    checked_in_at="2026-11-23T19:00Z")
    client.force_login(organiser)

    for path in ("rsvps.csv", "checkins.csv"):
        csv = b"".join(client.get(f"/events/{night.slug}/{path}").streaming_content).decode()
        assert all(f",'{name}," in csv for name in ["=1+1", "+cmd", "-2", "@SUM(A1)"]), path


def _bulk_rsvps(event, n: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                       is_active, date_joined, display_name, sms_opt_in, email_opt_in)
            SELECT '', false, 'bulk' || i, '', '', 'bulk' || i || '@example.org', false, true, now(),
                   'Person ' || i, false, true
            FROM generate_series(1, %s) AS i""", [n])
        cursor.execute("""
            INSERT INTO events_rsvp (event_id, user_id, status, created_at, ticket_code, notified_status)
            SELECT %s, id, 'going', now(), md5(id::text), 'going' FROM accounts_user WHERE username LIKE 'bulk%%'""",
                       [event.pk])


def _peak_while_streaming(client, path: str) -> tuple[int, int]:
    response = client.get(path)
    tracemalloc.start()
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, peak


@pytest.mark.postgres
def test_a_50000_row_export_streams_in_flat_memory(client, night, organiser):
    client.force_login(organiser)
    _bulk_rsvps(night, 5_000)
    small_rows, small_peak = _peak_while_streaming(client, f"/events/{night.slug}/rsvps.csv")
    RSVP.objects.filter(event=night).delete()
    connection.cursor().execute("DELETE FROM accounts_user WHERE username LIKE 'bulk%%'")
    _bulk_rsvps(night, 50_000)

    big_rows, big_peak = _peak_while_streaming(client, f"/events/{night.slug}/rsvps.csv")

    assert (small_rows, big_rows) == (5_001, 50_001)
    # Ten times the rows, about the same memory: rows are read in chunks and written as they come.
    assert big_peak < 2 * small_peak + 1_000_000, (small_peak, big_peak)
