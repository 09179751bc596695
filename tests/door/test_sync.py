"""Invariant 10: a ticket admits once, at one door, even when devices scanned it offline; counts stay exact."""

from datetime import UTC, datetime, timedelta

import pytest

from meetup.audit.models import AuditEntry
from meetup.events import signing
from meetup.events.models import RSVP, Entrance, Scan

T0 = datetime(2026, 1, 10, 19, 0, tzinfo=UTC)


def scan(rsvp, *, at, scan_id, entrance=None, direction="entry"):
    return {"code": signing.ticket_code(rsvp), "scanned_at": (T0 + timedelta(seconds=at)).isoformat(),
            "entrance": entrance, "direction": direction, "scan_id": scan_id}


def sync(api, user, event, scans, device="d1"):
    response = api(user).post(f"/api/events/{event.slug}/checkins/sync", {"device": device, "scans": scans})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def doors(event):
    return Entrance.objects.create(event=event, name="North"), Entrance.objects.create(event=event, name="South")


def test_offline_scans_are_admitted_and_counted(api, door_staff, event, tickets, doors):
    body = sync(api, door_staff, event, [scan(t, at=i, scan_id=f"a{i}", entrance=doors[0].pk)
                                         for i, t in enumerate(tickets)])

    assert [r["outcome"] for r in body["results"]] == ["admitted"] * 5
    assert body["counts"] == {"going": 5, "checked_in": 5, "inside": 5}
    assert RSVP.objects.get(pk=tickets[0].pk).checked_in_at == T0


def test_a_batch_sent_twice_records_each_scan_once(api, door_staff, event, tickets):
    scans = [scan(t, at=i, scan_id=f"a{i}") for i, t in enumerate(tickets)]
    sync(api, door_staff, event, scans)

    again = sync(api, door_staff, event, scans)

    assert [r["outcome"] for r in again["results"]] == ["admitted"] * 5
    assert all(r["replayed"] for r in again["results"])
    assert Scan.objects.filter(event=event).count() == 5
    assert again["counts"]["inside"] == 5


@pytest.mark.parametrize("order", ["earliest_first", "latest_first"])
def test_two_devices_admitting_one_ticket_offline_keep_the_earliest_and_report_a_conflict(
        api, door_staff, organiser, event, tickets, doors, order):
    north = scan(tickets[0], at=5, scan_id="n1", entrance=doors[0].pk)
    south = scan(tickets[0], at=60, scan_id="s1", entrance=doors[1].pk)
    first, second = (north, south) if order == "earliest_first" else (south, north)

    one = sync(api, door_staff, event, [first], device="phone-a")
    two = sync(api, door_staff, event, [second], device="phone-b")

    outcomes = {s.scan_id: s.outcome for s in Scan.objects.filter(event=event)}
    assert outcomes == {"n1": "admitted", "s1": "conflict"}
    assert one["results"][0]["outcome"] == ("admitted")
    assert two["results"][0]["outcome"] == ("conflict" if order == "earliest_first" else "admitted")
    rsvp = RSVP.objects.get(pk=tickets[0].pk)
    assert rsvp.checked_in_at == T0 + timedelta(seconds=5) and rsvp.inside
    assert two["counts"] == {"going": 5, "checked_in": 1, "inside": 1}
    by_door = {row["name"]: row for row in api(organiser).get(f"/api/events/{event.slug}/entrances").json()}
    assert (by_door["North"]["entries"], by_door["South"]["entries"], by_door["South"]["conflicts"]) == (1, 0, 1)


def test_the_dashboard_reports_conflicts(client, organiser, door_staff, api, event, tickets, doors):
    sync(api, door_staff, event, [scan(tickets[0], at=5, scan_id="n1", entrance=doors[0].pk)], device="phone-a")
    sync(api, door_staff, event, [scan(tickets[0], at=9, scan_id="s1", entrance=doors[1].pk)], device="phone-b")
    client.force_login(organiser)

    page = client.get(f"/events/{event.slug}/dashboard/").content.decode()

    assert "Admitted at two doors" in page and "South" in page and "North" in page


def test_exit_then_entry_at_another_door_is_not_a_conflict(api, door_staff, event, tickets, doors):
    body = sync(api, door_staff, event, [
        scan(tickets[0], at=1, scan_id="e1", entrance=doors[0].pk),
        scan(tickets[0], at=2, scan_id="x1", entrance=doors[0].pk, direction="exit"),
    ], device="phone-a")
    later = sync(api, door_staff, event, [scan(tickets[0], at=3, scan_id="e2", entrance=doors[1].pk)], device="b")

    assert [r["outcome"] for r in body["results"]] == ["admitted", "exited"]
    assert later["results"][0]["outcome"] == "admitted"
    assert later["counts"]["inside"] == 1


def test_an_exit_with_no_entry_changes_nothing(api, door_staff, event, tickets):
    body = sync(api, door_staff, event, [scan(tickets[0], at=1, scan_id="x1", direction="exit")])

    assert body["results"][0]["outcome"] == "not_inside" and body["counts"]["inside"] == 0


def test_a_late_offline_scan_earlier_than_an_online_check_in_becomes_the_admission(
        api, organiser, door_staff, event, tickets):
    api(organiser).post(f"/api/events/{event.slug}/checkins", {"code": signing.ticket_code(tickets[0])})
    offline = scan(tickets[0], at=0, scan_id="early")
    offline["scanned_at"] = "2001-01-01T00:00:00+00:00"

    body = sync(api, door_staff, event, [offline], device="phone-z")

    assert body["results"][0]["outcome"] == "admitted"
    assert Scan.objects.filter(rsvp=tickets[0], outcome="conflict").count() == 1
    assert body["counts"]["inside"] == 1


def test_scans_from_the_future_are_clamped_to_now(api, door_staff, event, tickets):
    future = scan(tickets[0], at=0, scan_id="f1")
    future["scanned_at"] = "2099-01-01T00:00:00+00:00"

    sync(api, door_staff, event, [future])

    assert RSVP.objects.get(pk=tickets[0].pk).checked_in_at.year < 2099


def test_a_sync_is_audited_once_per_batch(api, door_staff, event, tickets):
    sync(api, door_staff, event, [scan(t, at=i, scan_id=f"a{i}") for i, t in enumerate(tickets)])

    entry = AuditEntry.objects.get(event=event, action="checkin")
    assert entry.detail["admitted"] == 5 and entry.actor == door_staff


def test_unknown_entrance_ids_are_recorded_without_an_entrance(api, door_staff, event, tickets):
    sync(api, door_staff, event, [scan(tickets[0], at=0, scan_id="u1", entrance=999999)])

    assert Scan.objects.get(scan_id="u1").entrance is None


def test_plain_codes_sync_too(api, door_staff, event, tickets):
    body = sync(api, door_staff, event, [{"code": tickets[0].ticket_code, "scanned_at": T0.isoformat(),
                                          "scan_id": "p1"}])

    assert body["results"][0]["outcome"] == "admitted"


def test_door_data_lists_tickets_key_and_entrances(api, door_staff, event, tickets, doors):
    data = api(door_staff).get(f"/api/events/{event.slug}/door-data").json()

    assert data["key"]["alg"] == "Ed25519" and len(data["key"]["public_key"]) == 43
    assert [t["id"] for t in data["tickets"]] == sorted(t.pk for t in tickets)
    assert all(t["answers"] == [] for t in data["tickets"])
    assert {e["name"] for e in data["entrances"]} == {"North", "South"}
    assert "ticket_code" not in str(data) and tickets[0].ticket_code not in str(data)


def test_door_data_reads_a_few_queries(api, door_staff, event, tickets, django_assert_max_num_queries):
    api(door_staff).get(f"/api/events/{event.slug}/door-data")

    with django_assert_max_num_queries(12):
        api(door_staff).get(f"/api/events/{event.slug}/door-data")
