"""The outbox: broadcasts (a blast, or one stream of automatic messages) and their deliveries,
one row per message. Every email and text the product sends is a Delivery row first.

Invariant kept here: one delivery per (broadcast, person or address, channel, key), so planning
or queueing the same message twice adds nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetup.lib.bounds import validate_datetime


class Broadcast(models.Model):
    """A message to an event's audience, or the stream of one kind of automatic message
    (tickets, venue changes) that the platform sends for an event.

    Every message becomes a `Delivery` row before anything is sent; the rows are the outbox that
    workers claim, and the record of who was told what.
    """

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        LOGISTICS = "logistics", _("Logistics (event within 24 hours)")
        RSVP = "rsvp", _("RSVP messages")
        VENUE_CHANGE = "venue_change", _("Venue change")
        PROGRAM = "program", _("Program decisions")
        TEAM = "team", _("Team invitations")
        FORECAST = "forecast", _("Forecast alerts")
        MODERATION = "moderation", _("Moderation outcomes")
        ACCOUNT = "account", _("Account messages")
        OFFER = "offer", _("Waitlist offers")
        RECONFIRM = "reconfirm", _("Still coming?")
        REMINDER = "reminder", _("Reminders")
        PROGRAM_TEAM = "program_team", _("Invitations to application teams")
        PROJECT_TEAM = "project_team", _("Invitations to project teams")

    # Kinds the platform sends by itself; organisers compose announcements and logistics.
    AUTOMATIC = (Kind.RSVP, Kind.VENUE_CHANGE, Kind.PROGRAM, Kind.TEAM, Kind.FORECAST, Kind.MODERATION, Kind.ACCOUNT,
                 Kind.OFFER, Kind.RECONFIRM, Kind.REMINDER, Kind.PROGRAM_TEAM, Kind.PROJECT_TEAM)
    # Answers to what the person did themselves (their ticket, their application's outcome, their
    # report) or to their role (an invitation, an alert to organisers): sent even to those who
    # unsubscribed from announcements, as long as the address works.
    TRANSACTIONAL = (Kind.RSVP, Kind.PROGRAM, Kind.TEAM, Kind.FORECAST, Kind.MODERATION, Kind.ACCOUNT, Kind.OFFER,
                     Kind.RECONFIRM, Kind.REMINDER, Kind.PROGRAM_TEAM, Kind.PROJECT_TEAM)
    # Kinds with one stream per event (or one site-wide stream when they have no event).
    STREAMS = (Kind.RSVP, Kind.TEAM, Kind.FORECAST, Kind.MODERATION, Kind.ACCOUNT, Kind.OFFER, Kind.RECONFIRM,
               Kind.REMINDER, Kind.PROGRAM_TEAM, Kind.PROJECT_TEAM)
    # Texts of these kinds wait for the end of quiet hours in the recipient's time zone.
    QUIET = (Kind.ANNOUNCEMENT, Kind.REMINDER)

    class Audience(models.TextChoices):
        GOING = "going", _("Going")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ALL = "all", _("Going and waitlisted")
        CHECKED_IN = "checked_in", _("Checked in")
        NOT_CHECKED_IN = "not_checked_in", _("Going, not checked in")

    class Channels(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")
        BOTH = "both", _("SMS and email")
        SMS_OR_EMAIL = "sms_or_email", _("SMS, or email where there is no SMS consent")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    # Blasts, tickets and venue changes belong to an event; other automatic kinds may not.
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="broadcasts")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ANNOUNCEMENT)
    channels = models.CharField(max_length=16, choices=Channels.choices, default=Channels.EMAIL)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.GOING)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    scheduled_for = models.DateTimeField(null=True, blank=True, validators=[validate_datetime])
    # Texts are never delivered after this (the end of the event, by default).
    valid_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # What a system-written message is made of (a venue change: the old and new venue), so each
    # recipient's copy is written at send time in their language; `subject` and `body` keep the
    # default language's version for the organisers' pages.
    context = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One stream of automatic messages per kind and event.
            models.UniqueConstraint(
                fields=["event", "kind"],
                condition=Q(kind__in=["rsvp", "team", "forecast", "offer", "reconfirm", "reminder"]),
                name="one_stream_per_event_and_kind"),
        ]

    def __str__(self) -> str:
        audience = f" to {self.event}" if self.event_id else ""
        return f"{self.get_kind_display()}{audience}: {self.subject or self.body[:40]}"

    @property
    def uses_sms(self) -> bool:
        return self.channels != self.Channels.EMAIL

    @property
    def uses_email(self) -> bool:
        return self.channels != self.Channels.SMS

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.SCHEDULED, self.Status.SENDING)

    @property
    def cancellable(self) -> bool:
        return self.is_live and self.kind not in self.AUTOMATIC


class Delivery(models.Model):
    """One message to one person on one channel: the outbox row and its history.

    Workers claim queued rows with SELECT ... FOR UPDATE SKIP LOCKED and mark them `sending` before
    calling the provider outside any transaction. A row found `sending` long after its claim
    belonged to a worker that died mid-send: it is queued again and flagged `possible_duplicate`.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        SKIPPED_OPTED_OUT = "skipped_opted_out", _("Skipped: opted out")
        CANCELLED = "cancelled", _("Cancelled")

    DONE = (Status.SENT, Status.DELIVERED, Status.FAILED, Status.SKIPPED_OPTED_OUT, Status.CANCELLED)

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    # A person, or (for an invitation to someone who may have no account yet) only an address.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="deliveries")
    address = models.EmailField(blank=True, default="")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    # Automatic streams send several messages to one person (waitlisted, then promoted); blasts
    # send one, with an empty key.
    key = models.CharField(max_length=40, blank=True, default="")
    # Which message template (automatic kinds); blasts render the broadcast's own body.
    template = models.CharField(max_length=40, blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    not_before = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=200, blank=True, default="", db_index=True)
    error = models.CharField(max_length=300, blank=True, default="")
    possible_duplicate = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "user", "channel", "key"], name="one_delivery_per_message"),
            models.UniqueConstraint(fields=["broadcast", "channel", "key"], condition=Q(user__isnull=True),
                                    name="one_delivery_per_address_message"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(address=""), name="delivery_has_recipient"),
        ]
        indexes = [
            # The claim query: the next due rows of a channel.
            models.Index(fields=["channel", "not_before", "id"], condition=Q(status="queued"), name="delivery_due"),
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="delivery_in_flight"),
            models.Index(fields=["broadcast", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.user_id or self.address} ({self.status})"
