import re

import pytest
from django.apps import apps
from django.core import mail
from django.db import DatabaseError, connection, models, transaction
from phonenumber_field.modelfields import PhoneNumberField

from meetup.accounts.models import ConsentRecord, DeletionCode, User
from meetup.accounts.privacy import account_delete, deletion_code_send, deletion_code_value
from meetup.audit.models import AuditEntry
from meetup.events.models import RSVP
from meetup.showcase.models import Comment, Project
from tests.factories import EventFactory, UserFactory
from tests.outbox import deliver_all
from tests.privacy.conftest import NEEDLES, going_count

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, PhoneNumberField)


def traces_of(needles) -> list[str]:
    """Every (table.column, needle) where a text or JSON column of any model still holds a needle."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            for needle in needles:
                if model._base_manager.filter(**{f"{field.attname}__icontains": needle}).exists():
                    found.append(f"{model._meta.db_table}.{field.column}: {needle}")
    return found


def _code(user) -> str:
    return deletion_code_value(deletion_code_send(user=user))


def test_the_search_finds_the_person_before_deletion(world):
    # The control: without deletion her traces are in many tables (so the check below can fail).
    tables = {trace.split(".")[0] for trace in traces_of(NEEDLES)}

    assert {"accounts_user", "accounts_consentrecord", "audit_auditentry", "events_invitation",
            "account_emailaddress"} <= tables


def test_deletion_leaves_no_email_phone_or_name_in_any_column(world):
    account_delete(user=world.person, actor=world.person, code=_code(world.person))

    assert traces_of(NEEDLES) == []


def test_deletion_keeps_the_ledger_entries_without_the_person_or_address(world):
    before = ConsentRecord.objects.filter(user=world.person).count()

    account_delete(user=world.person, actor=world.person, code=_code(world.person))

    kept = ConsentRecord.objects.filter(user__isnull=True)
    assert kept.count() == before
    assert set(kept.values_list("address", flat=True)) == {""}
    assert kept.filter(channel="sms", granted=True, wording__contains="Reply STOP").exists()


def test_deletion_keeps_audit_entries_with_the_actor_anonymised(world):
    account_delete(user=world.person, actor=world.person, code=_code(world.person))

    capacity = AuditEntry.objects.get(action="capacity")
    checked_in = AuditEntry.objects.get(action="checkin")
    assert capacity.actor_id is None and capacity.actor_name == "a deleted user"
    assert checked_in.summary == "Checked in a deleted user"
    assert checked_in.actor_name == "Olivia Organiser"  # someone else's action keeps its actor
    assert AuditEntry.objects.filter(action="account_deleted").count() == 1


def test_deletion_cancels_rsvps_through_the_events_service_and_promotes_the_waitlist(world):
    account_delete(user=world.person, actor=world.person, code=_code(world.person))

    world.waiting.refresh_from_db()
    assert world.waiting.status == RSVP.Status.GOING
    assert going_count(world.full) == 1
    assert sum(world.full.shards.values_list("taken", flat=True)) == 1
    # The past event's attendance stays counted.
    assert going_count(world.past) == 1


def test_deletion_keeps_like_counts_right(world):
    account_delete(user=world.person, actor=world.person, code=_code(world.person))

    world.theirs.refresh_from_db()
    assert world.theirs.like_count == 1 == world.theirs.likes.count()


def test_kept_comments_show_as_deleted_user(world):
    account_delete(user=world.person, actor=world.person, code=_code(world.person), keep_content=True)

    comment = Comment.objects.get(pk=world.comment.pk)
    assert comment.author.public_name == "Deleted user"
    assert Project.objects.filter(pk=world.own.pk).exists()


def test_the_person_may_choose_to_remove_comments_and_solo_projects(world):
    account_delete(user=world.person, actor=world.person, code=_code(world.person), keep_content=False)

    assert not Comment.objects.filter(pk=world.comment.pk).exists()
    assert not Project.objects.filter(pk=world.own.pk).exists()
    assert Project.objects.filter(pk=world.theirs.pk).exists()  # Bruno's project stays, without her


def test_the_account_can_no_longer_sign_in(world, client):
    account_delete(user=world.person, actor=world.person, code=_code(world.person))

    person = User.objects.get(pk=world.person.pk)
    assert not person.is_active and not person.has_usable_password() and person.deleted_at
    assert not client.login(username="zquark77", password="correct horse battery staple")


# --- Who may delete ---------------------------------------------------------------------------------
def test_the_person_confirms_with_the_code_emailed_through_the_outbox(api, attendee):
    caller = api(attendee)

    sent = caller.post("/api/me/deletion-code")
    deliver_all()
    code = re.search(r"\b(\d{8})\b", mail.outbox[-1].body).group(1)
    deleted = caller._send("delete", "/api/me", {"code": code, "keep_content": True})

    assert sent.status_code == 202
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert deleted.status_code == 200, deleted.content
    assert User.objects.get(pk=attendee.pk).deleted_at is not None


def test_a_wrong_code_deletes_nothing_and_tries_are_limited(api, attendee):
    caller = api(attendee)
    caller.post("/api/me/deletion-code")

    answers = [caller._send("delete", "/api/me", {"code": "00000000"}).status_code for _ in range(6)]

    assert answers[:5] == [400] * 5 and answers[5] == 429
    assert User.objects.get(pk=attendee.pk).deleted_at is None
    assert DeletionCode.objects.get(user=attendee).attempts == 5


def test_a_code_is_needed(api, attendee):
    caller = api(attendee)

    no_code_yet = caller._send("delete", "/api/me", {"code": "12345678"})
    bad_input = caller._send("delete", "/api/me", {"code": 12345678})
    nul_bytes = caller._send("delete", "/api/me", {"code": "1\x002"})

    assert no_code_yet.status_code == 409 and no_code_yet.json()["error"] == "no_code"
    assert bad_input.status_code == 400 and nul_bytes.status_code == 400  # NUL bytes are refused at the edge
    assert User.objects.get(pk=attendee.pk).deleted_at is None


def test_nobody_else_can_delete_an_account(api, attendee, organiser, stranger):
    door = UserFactory()
    event = EventFactory()
    event.organisers.add(organiser)
    event.door_staff.add(door)
    for caller in (None, organiser, stranger, door):
        response = api(caller)._send("delete", f"/api/users/{attendee.pk}", {})
        assert response.status_code in (401, 404)
    with pytest.raises(Exception, match="Only the person or staff"):
        account_delete(user=attendee, actor=organiser)
    assert User.objects.get(pk=attendee.pk).deleted_at is None


def test_staff_can_delete_an_account_without_a_code(api, attendee):
    staff = UserFactory(is_staff=True)

    response = api(staff)._send("delete", f"/api/users/{attendee.pk}", {"keep_content": False})
    again = api(staff)._send("delete", f"/api/users/{attendee.pk}", {})
    huge = api(staff)._send("delete", f"/api/users/{2**70}", {})

    assert response.status_code == 200
    assert again.status_code == 404 and huge.status_code in (400, 404)
    assert AuditEntry.objects.get(action="account_deleted").actor_id == staff.pk


def test_staff_cannot_delete_another_staff_account(attendee):
    staff, other_staff = UserFactory(is_staff=True), UserFactory(is_staff=True)

    with pytest.raises(Exception, match="Only the person or staff"):
        account_delete(user=other_staff, actor=staff)


def test_the_last_organiser_of_an_upcoming_event_cannot_delete(api, organiser):
    EventFactory(title="Big night").organisers.add(organiser)

    response = api(organiser).post("/api/me/deletion-code")

    assert response.status_code == 409
    assert response.json()["error"] == "deletion_blocked" and "Big night" in response.json()["detail"]


def test_the_page_deletes_with_the_code_and_signs_out(client, attendee):
    client.force_login(attendee)
    client.post("/profile/data/code/")
    code = deletion_code_value(DeletionCode.objects.get(user=attendee))

    page = client.get("/profile/data/")
    response = client.post("/profile/data/delete/", {"code": code, "content": "keep"})

    assert b"Delete my account" in page.content
    assert response.status_code == 302
    assert User.objects.get(pk=attendee.pk).deleted_at is not None
    assert client.get("/profile/").status_code == 302  # signed out


# --- The append-only guards still hold --------------------------------------------------------------
@pytest.mark.postgres
def test_the_ledger_trigger_allows_only_the_anonymising_update(attendee):
    from meetup.accounts.services import consent_set

    consent_set(user=attendee, channel="email", granted=False, source="profile")
    record = ConsentRecord.objects.get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_consentrecord SET user_id = NULL, address = '', granted = true "
                       "WHERE id = %s", [record.pk])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_consentrecord SET user_id = NULL, address = '' WHERE id = %s", [record.pk])
    record.refresh_from_db()
    assert record.user_id is None and record.granted is False


@pytest.mark.postgres
def test_the_audit_trigger_refuses_updates_outside_a_deletion(organiser):
    from meetup.audit.services import audit_record

    entry = audit_record(actor=organiser, action="capacity", summary="Capacity 1 → 2")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_id = NULL, actor_name = '' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('meetup.erasure', 'on', true)")
        cursor.execute("UPDATE audit_auditentry SET action = 'role' WHERE id = %s", [entry.pk])


def test_the_admin_deletes_through_the_same_service_and_never_deletes_rows(client, attendee):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post("/admin/accounts/user/", {"action": "delete_accounts", "_selected_action": [attendee.pk]})

    assert response.status_code == 302
    assert User.objects.get(pk=attendee.pk).deleted_at is not None
    assert client.get(f"/admin/accounts/user/{attendee.pk}/delete/").status_code == 403


def test_the_new_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert {"/api/me/export", "/api/me/deletion-code", "/api/users/{user_id}"} <= set(paths)
    assert "delete" in paths["/api/me"]
