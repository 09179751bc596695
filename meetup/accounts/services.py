"""Every write about a person: profile and phone, consent (through the ledger), API tokens, roles.

Invariant kept here: every change of consent is written to the append-only ledger with its
source and exact wording."""

import re
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber, to_python

from meetup.accounts.consent import SIGNUP_EMAIL_WORDING, WORDING
from meetup.accounts.models import ApiToken, ConsentRecord, User
from meetup.accounts.roles import ORGANISER_GROUP

UNSET = object()


def phone_parse(value) -> PhoneNumber | None:
    """An E.164 phone number from user input, or a ValidationError that says what is wrong."""
    if value in (None, ""):
        return None
    number = to_python(value)
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        raise ValidationError(
            {"phone": _("Enter a valid phone number in international format, e.g. +14155550123.")}
        )
    return number


def consent_set(*, user: User, channel: str, granted: bool, source: str, wording: str | None = None) -> bool:
    """Set one channel's opt-in flag and append the change to the ledger.

    Returns whether anything changed; setting the flag it already has writes nothing. Call inside a
    transaction when it is one step of a larger change.
    """
    field = f"{channel}_opt_in"
    if getattr(user, field) == granted:
        return False
    with transaction.atomic():
        setattr(user, field, granted)
        User.objects.filter(pk=user.pk).update(**{field: granted})
        ConsentRecord.objects.create(
            user=user,
            channel=channel,
            granted=granted,
            address=str(user.phone or "") if channel == "sms" else user.email,
            source=source,
            wording=wording or str(WORDING[channel]),
        )
    return True


# What the Hub accepts as a user or organisation name (shown as a link on who's going).
HUB_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}")


def profile_update(
    *,
    user: User,
    source: str,
    display_name=UNSET,
    pronouns=UNSET,
    phone=UNSET,
    sms_opt_in=UNSET,
    email_opt_in=UNSET,
    language=UNSET,
    hub_username=UNSET,
) -> User:
    """Change a profile; every consent change lands in the ledger in the same transaction.

    Raises ValidationError (keyed by field) and saves nothing when any value is invalid.
    """
    errors = {}
    new_phone = user.phone
    if phone is not UNSET:
        try:
            new_phone = phone_parse(phone)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if new_phone and User.objects.filter(phone=new_phone).exclude(pk=user.pk).exists():
                errors["phone"] = [_("This phone number belongs to another account.")]
    if display_name is not UNSET and len(display_name or "") > 80:
        errors["display_name"] = [_("Use at most 80 characters.")]
    if hub_username is not UNSET:
        hub_username = (hub_username or "").strip().removeprefix("@")
        if hub_username and not HUB_USERNAME.fullmatch(hub_username):
            errors["hub_username"] = [_("A Hugging Face Hub username: letters, digits, '-', '_' or '.', at most 96.")]
    if pronouns is not UNSET and len(pronouns or "") > 40:
        errors["pronouns"] = [_("Use at most 40 characters.")]
    wants_sms = user.sms_opt_in if sms_opt_in is UNSET else sms_opt_in
    if wants_sms and not new_phone and "phone" not in errors:
        errors["sms_opt_in"] = [_("Add a phone number before turning on text messages.")]
    if language is not UNSET and language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of %(languages)s.") % {"languages": ", ".join(dict(settings.LANGUAGES))}]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        phone_changed = phone is not UNSET and new_phone != user.phone
        if phone_changed and user.sms_opt_in:
            # Consent was given for the old number; it does not carry over to a new one.
            consent_set(user=user, channel="sms", granted=False, source=source)
        if display_name is not UNSET:
            user.display_name = (display_name or "").strip()
        if pronouns is not UNSET:
            user.pronouns = (pronouns or "").strip()
        if phone is not UNSET:
            user.phone = new_phone
        if language is not UNSET:
            user.language = language
        if hub_username is not UNSET:
            user.hub_username = hub_username
        user.save(update_fields=["display_name", "pronouns", "phone", "language", "hub_username"])
        if sms_opt_in is not UNSET:
            consent_set(user=user, channel="sms", granted=sms_opt_in, source=source)
        if email_opt_in is not UNSET:
            consent_set(user=user, channel="email", granted=email_opt_in, source=source)
    return user


def api_token_build(*, user: User, name: str = "API token") -> tuple[ApiToken, str]:
    """An unsaved token and its plain key (for bulk creation); api_token_issue saves one."""
    key = "mtk_" + secrets.token_urlsafe(32)
    return ApiToken(user=user, name=name[:60] or "API token", key_hash=ApiToken.hash(key), prefix=key[:10]), key


def api_token_issue(*, user: User, name: str = "API token") -> tuple[ApiToken, str]:
    """A new bearer token. The plain key is returned once and never stored."""
    token, key = api_token_build(user=user, name=name)
    token.save()
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> bool:
    deleted, _unused = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


# Every API request runs this: on PostgreSQL the look-up and the (throttled) last-used stamp are
# one statement.
_TOKEN_SQL = """
WITH token AS (SELECT id, user_id, last_used_at FROM accounts_apitoken WHERE key_hash = %s),
touch AS (
    UPDATE accounts_apitoken SET last_used_at = now()
    WHERE id IN (SELECT id FROM token WHERE last_used_at IS NULL OR last_used_at < now() - interval '5 minutes')
)
SELECT u.* FROM accounts_user u JOIN token ON u.id = token.user_id WHERE u.is_active
"""


def api_token_authenticate(key: str) -> User | None:
    """The active user owning `key`, or None. Records use at most every five minutes per token."""
    key_hash = ApiToken.hash(key)
    if connection.vendor == "postgresql":
        return next(iter(User.objects.raw(_TOKEN_SQL, [key_hash])), None)
    try:
        token = ApiToken.objects.select_related("user").get(key_hash=key_hash)
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def organiser_grant(*, user: User) -> None:
    group, _unused = Group.objects.get_or_create(name=ORGANISER_GROUP)
    user.groups.add(group)


def signup_consent_record(*, user: User, source: str = ConsentRecord.Source.SIGNUP) -> None:
    """Ledger entry for the email consent that comes with an account (SMS always needs an opt-in)."""
    if user.email_opt_in:
        ConsentRecord.objects.create(
            user=user, channel="email", granted=True, address=user.email, source=source,
            wording=str(SIGNUP_EMAIL_WORDING),
        )
