"""Writes about a person's rights over their data: the personal-data archive, account deletion
confirmed by an emailed code, and retention.

Invariants kept here:
- an account is deleted only by the person (with a code sent to their address, at most
  `CODE_ATTEMPTS` tries each) or by staff (a superuser for staff accounts);
- deletion is all or nothing: every app's eraser runs (personal_data.py) and the account row is
  emptied in one transaction; nothing that names the person, their address or their number stays;
- nothing is deleted while an app has a reason to refuse (the last organiser of an upcoming event).
"""

import io
import json
import secrets
import zipfile
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from meetup.accounts import personal_data
from meetup.accounts.models import ApiToken, ConsentRecord, DeletionCode, User
from meetup.lib.errors import Refused
from meetup.lib.limits import window_count

# A code was issued: kwargs `code` (a DeletionCode). Sent inside the transaction; the broadcasts
# app owes the person one email with it.
deletion_code_requested = Signal()
# An account was deleted: kwargs `user_id`, `actor` (the staff member, or None for the person).
account_deleted = Signal()
# Retention ran: kwargs `counts` ({section: records shredded}), `cutoff`.
personal_data_shredded = Signal()

CODE_MINUTES = 30
CODE_ATTEMPTS = 5
CODES_PER_HOUR = 5
EXPORTS_PER_HOUR = 5
DELETED_NAME = "Deleted user"


# --- The archive ------------------------------------------------------------------------------------
def personal_data_export(*, user: User) -> bytes:
    """A ZIP of one JSON file per registered section, plus a README. Built in memory: refused past
    EXPORT_MAX_BYTES, and at most EXPORTS_PER_HOUR a person, since it reads every table."""
    if window_count(f"personal-export:{user.pk}", 3600) > EXPORTS_PER_HOUR:
        raise Refused("rate_limited", (
            _("At most %(count)s exports an hour; try again later.") % {"count": EXPORTS_PER_HOUR}), status=429)
    buffer, total = io.BytesIO(), 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        names = []
        for section in personal_data.sections():
            if section.export is None:
                continue
            data = json.dumps(section.export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            total += len(data)
            if total > settings.EXPORT_MAX_BYTES:
                raise Refused("too_large", _("Your data is too large to export at once; ask the organisers."),
                              status=413)
            archive.writestr(f"{section.name}.json", data)
            names.append(section.name)
        archive.writestr("README.txt", (
            f"Everything Open AI Meetups holds about {user.email or user.username}, "
            f"exported {timezone.now():%Y-%m-%d %H:%M} UTC.\n"
            "One JSON file per kind of record: " + ", ".join(names) + ".\n"))
    return buffer.getvalue()


def export_profile(user: User) -> list[dict]:
    emails = list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary"))
    social = list(SocialAccount.objects.filter(user=user).values("provider", "uid", "date_joined"))
    return [{
        "username": user.username, "email": user.email, "display_name": user.display_name,
        "first_name": user.first_name, "last_name": user.last_name,
        "phone": str(user.phone) if user.phone else None, "sms_opt_in": user.sms_opt_in,
        "email_opt_in": user.email_opt_in, "language": user.language, "date_joined": user.date_joined,
        "last_login": user.last_login, "email_addresses": emails, "linked_accounts": social,
        "api_tokens": list(ApiToken.objects.filter(user=user).values("name", "prefix", "created_at", "last_used_at")),
    }]


def export_consent(user: User) -> list[dict]:
    return list(ConsentRecord.objects.filter(user=user).order_by("created_at", "id").values(
        "channel", "granted", "address", "source", "wording", "created_at"))


# --- Deletion ---------------------------------------------------------------------------------------
def deletion_code_value(code: DeletionCode) -> str:
    """The eight digits for `code`, derived (never stored) from the row and SECRET_KEY."""
    digest = salted_hmac("meetup.accounts.deletion-code", f"{code.pk}:{code.user_id}:{code.created_at.isoformat()}")
    return f"{int(digest.hexdigest()[:15], 16) % 10**8:08d}"


def deletion_blockers(*, user: User) -> list[str]:
    """Why the account cannot be deleted now (empty when it can)."""
    reasons = []
    for section in personal_data.sections():
        if section.blocker is not None:
            reason = section.blocker(user)
            if reason:
                reasons.append(reason)
    return reasons


def _refuse_if_blocked(user: User) -> None:
    reasons = deletion_blockers(user=user)
    if reasons:
        raise Refused("deletion_blocked", " ".join(reasons))


def deletion_code_send(*, user: User) -> DeletionCode:
    """Email the person a code that confirms their account's deletion (through the outbox)."""
    if user.deleted_at is not None:
        raise Refused("deleted", _("This account is already deleted."), status=404)
    if not user.email:
        raise Refused("no_email", _("Add an email address first: the code is sent there."))
    _refuse_if_blocked(user)
    if window_count(f"deletion-code:{user.pk}", 3600) > CODES_PER_HOUR:
        raise Refused("rate_limited", (
            _("At most %(count)s codes an hour; use the last one sent.") % {"count": CODES_PER_HOUR}), status=429)
    now = timezone.now()
    with transaction.atomic():
        code = DeletionCode.objects.create(user=user, created_at=now,
                                           expires_at=now + timedelta(minutes=CODE_MINUTES))
        deletion_code_requested.send(sender=DeletionCode, code=code)
    return code


def _check_code(user: User, typed: str) -> DeletionCode:
    """The live code matching `typed`. Each try counts (a conditional update, so parallel guesses
    cannot share one try); it commits even when the caller's request fails."""
    typed = "".join(ch for ch in str(typed or "") if ch.isdigit())[:16]
    code = DeletionCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).first()
    if code is None:
        raise Refused("no_code", _("Ask for a code first (or a new one: codes work for 30 minutes)."))
    with transaction.atomic():
        counted = DeletionCode.objects.filter(pk=code.pk, attempts__lt=CODE_ATTEMPTS).update(
            attempts=F("attempts") + 1)
    if not counted:
        raise Refused("too_many_attempts", _("Too many wrong codes: ask for a new one."), status=429)
    if not constant_time_compare(typed, deletion_code_value(code)):
        raise Refused("wrong_code", _("That code is not the one we sent."), status=400)
    return code


def _may_delete(actor, user: User) -> bool:
    if not (actor and actor.is_authenticated and actor.is_active):
        return False
    if actor.is_superuser:
        return True
    return actor.is_staff and not (user.is_staff or user.is_superuser)


def account_delete(*, user: User, actor, code: str | None = None, keep_content: bool = True) -> None:
    """Delete `user`'s account: by the person with the emailed `code`, or by staff (no code).

    `keep_content` keeps their comments and solo projects under "Deleted user"; False removes them.
    Every registered eraser runs in one transaction, then the row is emptied (see the module
    docstring). Raises PermissionDenied for anyone else, Refused when a code is wrong or an app refuses.
    """
    by_self = actor is not None and actor.pk == user.pk
    if not by_self and not _may_delete(actor, user):
        raise PermissionDenied(_("Only the person or staff can delete an account."))
    if user.deleted_at is not None:
        raise Refused("deleted", _("This account is already deleted."), status=404)
    _refuse_if_blocked(user)
    used = _check_code(user, code) if by_self else None
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.deleted_at is not None:
            raise Refused("deleted", _("This account is already deleted."), status=404)
        if connection.vendor == "postgresql":
            # Lets the audit log's trigger accept the anonymising updates of this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('meetup.erasure', 'on', true)")
        for section in personal_data.sections():
            if section.erase is not None:
                section.erase(user, keep_content=keep_content)
        if used is not None:
            DeletionCode.objects.filter(pk=used.pk).update(used_at=timezone.now())
        account_deleted.send(sender=User, user_id=user.pk, actor=None if by_self else actor)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('meetup.erasure', 'off', true)")


def erase_account(user: User, *, keep_content: bool) -> None:
    """Accounts' own eraser, run last: the ledger unlinked, logins and tokens gone, the row emptied."""
    ConsentRecord.objects.filter(user=user).anonymise()
    ApiToken.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=DELETED_NAME, change_message="")
    User.objects.filter(pk=user.pk).update(
        username=f"deleted-{secrets.token_hex(8)}", email="", first_name="", last_name="", display_name="",
        phone=None, sms_opt_in=False, email_opt_in=False, email_undeliverable_at=None, is_active=False,
        is_staff=False, is_superuser=False, password=make_password(None), last_login=None,
        deleted_at=timezone.now())
    user.groups.clear()
    user.user_permissions.clear()


# --- Retention --------------------------------------------------------------------------------------
def retention_run(*, now=None) -> dict[str, int]:
    """Shred what every app keeps past RETENTION_DAYS (phone numbers, registration answers of past
    events); returns the counts by section and announces them (the audit log records them)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_DAYS)
    counts = {}
    with transaction.atomic():
        for section in personal_data.sections():
            if section.shred is not None:
                counts[section.name] = section.shred(cutoff)
        personal_data_shredded.send(sender=User, counts=counts, cutoff=cutoff)
    return counts
