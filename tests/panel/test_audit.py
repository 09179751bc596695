"""Every audited action leaves an entry naming who did what; entries cannot be changed."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from meetup.audit.models import AuditEntry
from meetup.broadcasts import services as broadcasts
from meetup.events import services
from meetup.events.models import RSVP
from meetup.events.services import team
from meetup.showcase import services as showcase
from tests.factories import RSVPFactory, UserFactory, VenueFactory, going


def _entries(event):
    return list(AuditEntry.objects.filter(event=event).order_by("id").values_list("actor_name", "action", "summary"))


def test_a_capacity_change_is_recorded_with_who_and_what(night, organiser):
    going(night, 10)
    RSVPFactory(event=night, status="waitlisted")

    services.capacity_change(event=night, capacity=20, actor=organiser)

    assert _entries(night) == [("Olivia Organiser", "capacity", "Capacity 10 → 20; 1 promoted")]


def test_setting_the_same_capacity_records_nothing(night, organiser):
    services.capacity_change(event=night, capacity=10, actor=organiser)

    assert _entries(night) == []


def test_a_manual_promotion_is_recorded(night, organiser):
    rsvp = RSVPFactory(event=night, status="waitlisted", user=UserFactory(display_name="Wendy Wait"))

    services.rsvp_promote(rsvp=rsvp, actor=organiser)

    assert ("Olivia Organiser", "promotion", "Promoted Wendy Wait from the waitlist") in _entries(night)


def test_a_check_in_is_recorded_with_the_door_person(night, people):
    rsvp = RSVP.objects.select_related("user").get(event=night)

    services.checkin(event=night, code=rsvp.ticket_code, actor=people["door"])
    services.checkin(event=night, code=rsvp.ticket_code, actor=people["door"])  # a second scan is not an entry

    entry = AuditEntry.objects.get(event=night)
    assert (entry.action, entry.summary, entry.actor_id) == ("checkin", "Checked in Alice", people["door"].pk)
    assert entry.detail == {"rsvp": rsvp.pk}


def test_a_venue_move_and_its_bookings_are_recorded(night, organiser):
    small, big = VenueFactory(name="Loft"), VenueFactory(name="Pier", capacity_standing=50)
    night.venue = small
    night.save()
    booking = services.booking_create(venue=small, starts_at=night.starts_at, ends_at=night.ends_at, event=night)
    services.booking_confirm(booking=booking, actor=organiser)

    services.venue_move(event=night, venue=big, created_by=organiser)

    actions = [(a, s.split(" for ")[0]) for _, a, s in _entries(night)]
    assert actions == [("booking", "Confirmed Loft"), ("venue_move", "Moved from Loft to Pier"),
                       ("capacity", "Capacity 10 → 50; 0 promoted")]


def test_blasts_sent_scheduled_and_cancelled_are_recorded(night, organiser, people):
    broadcasts.broadcast_create(event=night, created_by=organiser, channels="email", subject="Doors", body="At 6")
    later = broadcasts.broadcast_create(event=night, created_by=organiser, channels="email", subject="Later",
                                        body="Soon", scheduled_for=timezone.now() + timedelta(hours=1))
    broadcasts.broadcast_cancel(broadcast=later, actor=organiser)

    assert [(a, s.split(" for ")[0]) for _, a, s in _entries(night)] == [
        ("broadcast_sent", "Sent “Doors” to 1 recipients (Email)"),
        ("broadcast_scheduled", "Scheduled “Later”"),
        ("broadcast_cancelled", "Cancelled “Later”; 0 not sent"),
    ]


def test_moderation_actions_are_recorded(night, people):
    project = showcase.project_create(user=people["attendee"], title="Tiny GPT", summary="Small", event=night)

    showcase.content_hide(moderator=people["moderator"], project=project)
    showcase.content_restore(moderator=people["moderator"], project=project)

    assert [(a, s) for _, a, s in _entries(night)] == [
        ("moderation", "Hid the project “Tiny GPT”"), ("moderation", "Restored the project “Tiny GPT”")]


def test_role_changes_are_recorded(night, organiser):
    helper = UserFactory(email="helper@example.org", display_name="Hal Helper")
    invitation = team.invitation_create(event=night, email="helper@example.org", role="door", invited_by=organiser)
    team.invitation_accept(token=invitation.token, user=helper)
    team.team_remove(event=night, user=helper, role="door", actor=organiser)
    spare = team.invitation_create(event=night, email="spare@example.org", role="organiser", invited_by=organiser)
    team.invitation_revoke(invitation=spare, actor=organiser)

    assert [s for _, _, s in _entries(night)] == [
        "Invited helper@example.org as door staff (check-in only)", "Hal Helper joined as door staff (check-in only)",
        "Removed Hal Helper as door staff (check-in only)", "Invited spare@example.org as co-organiser",
        "Revoked the invitation to spare@example.org"]


def test_entries_cannot_be_changed_or_deleted_through_the_orm(night, organiser):
    services.capacity_change(event=night, capacity=11, actor=organiser)
    entry = AuditEntry.objects.get()

    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(summary="nothing happened")
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


@pytest.mark.postgres
def test_the_database_refuses_to_change_or_delete_entries(night, organiser):
    services.capacity_change(event=night, capacity=11, actor=organiser)

    for sql in ("UPDATE audit_auditentry SET summary = 'nothing'", "DELETE FROM audit_auditentry"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)

    assert AuditEntry.objects.get().summary.startswith("Capacity 10 → 11")


def test_the_audit_page_shows_the_events_entries_only(client, night, other_night, organiser):
    services.capacity_change(event=night, capacity=12, actor=organiser)
    services.capacity_change(event=other_night, capacity=99, actor=None)
    client.force_login(organiser)

    html = client.get(f"/events/{night.slug}/audit/").content.decode()

    assert "Capacity 10 → 12" in html and "Olivia Organiser" in html and "→ 99" not in html
