"""People and what they agreed to: the user (an E.164 phone, opt-in flags, a language), the
append-only consent ledger, API tokens, and the codes that confirm an account's deletion.

Invariants kept here: the ledger is never changed, except the one anonymising update that account
deletion makes (the person and the address removed; wording, channel and time kept), which the
PostgreSQL trigger also allows and nothing else.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class User(AbstractUser):
    display_name = models.CharField(max_length=80, blank=True)
    # The person's Hugging Face Hub username, shown beside their name where they chose to appear.
    hub_username = models.CharField(max_length=96, blank=True, default="", db_default="")
    # Printed on badges under the name when given (she/her, they/them, ...).
    pronouns = models.CharField(max_length=40, blank=True, default="", db_default="")
    # Stored in E.164 (PHONENUMBER_DB_FORMAT); unique so an inbound STOP maps to one person.
    phone = PhoneNumberField(blank=True, null=True, unique=True)
    sms_opt_in = models.BooleanField(default=False)
    email_opt_in = models.BooleanField(default=True)
    # Set when the address hard-bounced; nothing more is sent to it until the person changes it.
    email_undeliverable_at = models.DateTimeField(null=True, blank=True)
    # The language messages to this person are written in (pages follow the browser or the switcher).
    # db_default too, so rows inserted in SQL (bulk loads, benchmarks) get one.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en", db_default="en")
    # Set when the account was deleted: the row stays, emptied of everything personal, so what
    # others rely on (a comment thread, a count, a program decision) still holds together.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("organise", "Can create and run events")]

    @property
    def public_name(self) -> str:
        if self.deleted_at is not None:
            return gettext("Deleted user")
        return self.display_name or self.first_name or self.username


class ConsentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The consent ledger is append-only.")

    def anonymise(self) -> int:
        """The one change the ledger allows: forget who and which address, keep what was agreed
        to, how and when (account deletion)."""
        return super().update(user=None, address="")


class ConsentRecord(models.Model):
    """One entry of the append-only consent ledger.

    The current opt-in flags live on User for fast reads; this ledger is the evidence of who agreed
    to what, when, through which channel and with which wording. Rows are never changed.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        PROFILE = "profile", _("Profile page")
        API = "api", _("API")
        SMS_KEYWORD = "sms-keyword", _("SMS keyword")
        UNSUBSCRIBE_LINK = "unsubscribe-link", _("Unsubscribe link")
        PROVIDER = "provider", _("Reported by the email or SMS provider")
        ADMIN = "admin", _("Admin")
        RETENTION = "retention", _("Retention period ended")

    # Empty once the person deleted their account: the entry stays as evidence, unlinked.
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="consent_records")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    granted = models.BooleanField()
    # The phone number or email address the consent was given or revoked for.
    address = models.CharField(max_length=254, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    wording = models.TextField(help_text=_("The exact text the person saw or sent."))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "channel", "-created_at"])]

    def __str__(self) -> str:
        verb = "granted" if self.granted else "revoked"
        return f"{self.user or 'deleted user'} {verb} {self.channel} via {self.source}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The consent ledger is append-only.")
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, default="API token")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class DeletionCode(models.Model):
    """A request to delete an account, confirmed by a code sent by email. The code itself is never
    stored: it is an HMAC of this row under SECRET_KEY, so the email can be built at send time."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="deletion_codes")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Deletion code for {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"
