"""Venues and bookings, events with their capacity shards, RSVPs, forecast alerts, team invitations.

Invariants kept here as constraints: a shard never holds more than its seats (capacity);
one RSVP per person and event; no overlapping active bookings of a venue (PostgreSQL)."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from meetup.lib.bounds import validate_datetime
from meetup.lib.slugs import validate_not_reserved

TRANSLATED_FIELDS = {"title": 200, "description": 20000}


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)r is not a known time zone (use an IANA name like Europe/Paris).") % {
            "value": value})


def validate_translations(value) -> None:
    """{"fr": {"title": "...", "description": "..."}}: languages of the site, known fields, strings
    within the original field's limits."""
    if not isinstance(value, dict):
        raise ValidationError(gettext("Translations must map a language code to its title and description."))
    languages = {code for code, _unused in settings.LANGUAGES}
    for language, fields in value.items():
        if language not in languages:
            raise ValidationError(gettext("%(code)r is not a language of this site (%(known)s).") % {
                "code": str(language)[:20], "known": ", ".join(sorted(languages))})
        if not isinstance(fields, dict) or set(fields) - set(TRANSLATED_FIELDS):
            raise ValidationError(gettext("Translations in %(code)r may hold only: %(fields)s.") % {
                "code": language, "fields": ", ".join(TRANSLATED_FIELDS)})
        for name, text in fields.items():
            if not isinstance(text, str) or "\x00" in text or len(text) > TRANSLATED_FIELDS[name]:
                message = gettext("The %(code)r %(field)s must be text of at most %(limit)d characters.")
                raise ValidationError(message % {"code": language, "field": name, "limit": TRANSLATED_FIELDS[name]})


class Venue(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, validators=[validate_not_reserved])
    address = models.TextField()
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    capacity_standing = models.PositiveIntegerField()
    capacity_seated = models.PositiveIntegerField(null=True, blank=True)
    accessibility = models.TextField(blank=True, help_text=_("Step-free access, lifts, toilets, hearing loops."))
    facilities = models.TextField(blank=True)
    contact = models.CharField(max_length=200, blank=True)
    cost_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["capacity_standing", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity_standing:,})"


class Booking(models.Model):
    """A venue held (tentatively, until `hold_expires_at`) or confirmed for a time range.

    Two active bookings of one venue never overlap: on PostgreSQL an exclusion constraint over
    the time range enforces it (migration 0002); on SQLite `services.booking_create` checks inside
    its IMMEDIATE transaction.
    """

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CONFIRMED = "confirmed", _("Confirmed")
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")

    ACTIVE = (Status.HELD, Status.CONFIRMED)

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="bookings")
    event = models.ForeignKey("Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings")
    starts_at = models.DateTimeField(validators=[validate_datetime])
    ends_at = models.DateTimeField(validators=[validate_datetime])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["venue", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start",
                                   violation_error_message=_("A booking must end after it starts.")),
        ]

    def __str__(self) -> str:
        return f"{self.venue.name} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M} ({self.status})"


class WaitlistMode(models.TextChoices):
    AUTO = "auto", _("Promote the next person at once")
    OFFERS = "offers", _("Offer the seat for a limited time")


MAX_REMINDERS = 4
MAX_REMINDER_HOURS = 24 * 14


def reminder_hours_list(value: str) -> list[int]:
    """ "24,2" -> [24, 2] (largest first, no repeats); raises ValueError on anything else."""
    hours = sorted({int(part) for part in value.replace(" ", "").split(",") if part}, reverse=True)
    if len(hours) > MAX_REMINDERS or any(not 1 <= h <= MAX_REMINDER_HOURS for h in hours):
        raise ValueError
    return hours


def validate_reminder_hours(value: str) -> None:
    try:
        reminder_hours_list(value)
    except ValueError:
        raise ValidationError(
            _("Give up to %(max_reminders)s whole numbers of hours before the start, 1 to %(max_reminder_hours)s, "
              "separated by commas (e.g. 24,2).") % {
                "max_reminders": MAX_REMINDERS, "max_reminder_hours": MAX_REMINDER_HOURS}) from None


class Event(models.Model):
    WaitlistMode = WaitlistMode

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True, validators=[validate_not_reserved])
    description = models.TextField(blank=True, help_text=_("Markdown; HTML is removed."))
    starts_at = models.DateTimeField(validators=[validate_datetime])
    ends_at = models.DateTimeField(validators=[validate_datetime])
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    capacity = models.PositiveIntegerField()
    rsvp_opens_at = models.DateTimeField(null=True, blank=True, validators=[validate_datetime])
    rsvp_closes_at = models.DateTimeField(null=True, blank=True, validators=[validate_datetime])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    code_of_conduct_url = models.URLField(blank=True)
    # RSVPs start as "requested" and take no seat until an organiser approves them.
    requires_approval = models.BooleanField(default=False)
    # Whether the event page lists the attendees who chose to appear ("who's going").
    show_attendees = models.BooleanField(default=True)
    # An organiser-made link (?invite=<token>) whose holders skip approval; empty when none.
    invite_token = models.CharField(max_length=43, blank=True, default="")
    # Whether any registration question is asked (kept by services/questions.py): spares the RSVP
    # hot path a query on events that ask none.
    asks_questions = models.BooleanField(default=False, editable=False)
    # iCalendar SEQUENCE: bumped when the time or the venue changes so calendar apps move the event.
    ical_sequence = models.PositiveIntegerField(default=0)
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organised_events", blank=True)
    # Check-in only: the door page and the check-in API, nothing else.
    door_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="door_events", blank=True)
    # Access at this event (the venue's own `accessibility` text describes the building). None: not
    # known yet, which is said as such rather than read as "no".
    step_free_access = models.BooleanField(_("step-free access"), null=True, blank=True,
                                           help_text=_("Step-free access to the event space."))
    hearing_loop = models.BooleanField(_("hearing loop"), null=True, blank=True,
                                       help_text=_("An induction loop for hearing aids."))
    captions = models.BooleanField(_("live captions"), null=True, blank=True,
                                   help_text=_("Live captions for the talks."))
    quiet_room = models.BooleanField(_("quiet room"), null=True, blank=True,
                                     help_text=_("A quiet room to step away to."))
    accessibility_notes = models.TextField(blank=True, max_length=2000,
                                           help_text=_("Anything else: seating, toilets, lighting, who to ask."))
    # A freed seat goes at once to the head of the waitlist (auto), or is offered to them for a
    # while (offers: see Offer and capacity.offer_window).
    waitlist_mode = models.CharField(max_length=10, choices=WaitlistMode.choices, default=WaitlistMode.AUTO)
    offer_hours = models.PositiveSmallIntegerField(default=24, validators=[MinValueValidator(1),
                                                                           MaxValueValidator(168)])
    # Everyone going is asked "still coming?" this many days before the start; None: never by itself.
    reconfirm_days_before = models.PositiveSmallIntegerField(null=True, blank=True,
                                                             validators=[MinValueValidator(1), MaxValueValidator(30)])
    reconfirm_asked_at = models.DateTimeField(null=True, blank=True)
    # Reminder texts and emails this many hours before the start ("24,2"; empty: none).
    reminder_hours = models.CharField(max_length=40, blank=True, default="24,2", validators=[validate_reminder_hours])
    # The last waitlist place handed out (capacity.waitlist_place): each waitlisted RSVP takes the next.
    waitlist_last = models.PositiveBigIntegerField(default=0, editable=False)
    # The title and description in other languages, shown to people reading the site in that language:
    # {"fr": {"title": ..., "description": ...}}; a missing or empty one falls back to the original.
    translations = models.JSONField(default=dict, blank=True, validators=[validate_translations])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start",
                                   violation_error_message=_("The event must end after it starts.")),
            models.CheckConstraint(
                condition=Q(rsvp_closes_at__isnull=True) | Q(rsvp_opens_at__isnull=True)
                | Q(rsvp_closes_at__gt=models.F("rsvp_opens_at")),
                name="event_rsvp_window_ordered",
                violation_error_message=_("RSVPs must close after they open."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def localized(self, field: str, language: str | None = None) -> str:
        """The title or description in the language (the active one by default), else the original."""
        language = (language or get_language() or settings.LANGUAGE_CODE).lower()
        translations = self.translations if isinstance(self.translations, dict) else {}
        for code in (language, language.split("-")[0]):
            text = (translations.get(code) or {}).get(field)
            if isinstance(text, str) and text.strip():
                return text
        return getattr(self, field)

    @property
    def display_title(self) -> str:
        return self.localized("title")

    @property
    def display_description(self) -> str:
        return self.localized("description")

    ACCESS_FEATURES = ("step_free_access", "hearing_loop", "captions", "quiet_room")

    @property
    def access_features(self) -> list[tuple[str, bool | None]]:
        """(label, offered) for each access feature, None where the organisers have not said."""
        return [(self._meta.get_field(name).verbose_name.capitalize(), getattr(self, name))
                for name in self.ACCESS_FEATURES]

    @property
    def has_access_info(self) -> bool:
        return bool(self.accessibility_notes) or any(getattr(self, name) is not None for name in self.ACCESS_FEATURES)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def rsvp_deadline(self):
        """RSVPs close at `rsvp_closes_at`, or when the event ends if none was set."""
        return self.rsvp_closes_at or self.ends_at


class CapacityShard(models.Model):
    """A slice of an event's seats.

    Seats are spread over several rows so that a surge of RSVPs does not queue on one hot row:
    each RSVP takes a seat from any slice with room. The going count is the sum of `taken`; the
    check constraint makes overbooking a slice impossible whatever the code above it does. Only
    `meetup.events.capacity` writes these rows.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shards")
    index = models.PositiveSmallIntegerField()
    seats = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "index"], name="one_shard_per_index"),
            models.CheckConstraint(condition=Q(taken__lte=models.F("seats")), name="shard_never_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.index}: {self.taken}/{self.seats}"


class RSVP(models.Model):
    class Status(models.TextChoices):
        GOING = "going", pgettext_lazy("rsvp status", "Going")
        WAITLISTED = "waitlisted", _("Waitlisted")
        # Holds a seat for a while (an open Offer) until claimed (going) or expired (cancelled).
        OFFERED = "offered", _("Offered a seat")
        CANCELLED = "cancelled", pgettext_lazy("rsvp status", "Cancelled")
        # Approval-based events: waiting for an organiser's decision; holds no seat.
        REQUESTED = "requested", _("Requested")
        DECLINED = "declined", _("Declined")

    class Visibility(models.TextChoices):
        HIDDEN = "hidden", _("Not listed")
        ATTENDEES = "attendees", _("Listed to other attendees")
        PUBLIC = "public", _("Listed publicly")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=10, choices=Status.choices)
    # Arrival time: the waitlist is ordered by (created_at, id).
    created_at = models.DateTimeField()
    # The place taken when this RSVP was waitlisted (capacity.waitlist_place), in the same order as
    # created_at, so two people are never told the same place.
    waitlist_seq = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    # 128 random bits: a code cannot be guessed, and one that is not in the table admits nobody.
    ticket_code = models.CharField(max_length=32, unique=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # The first admission (the earliest, once offline scans are synced).
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # In the venue now: set by an admitted entry, cleared by an exit, only ever by a conditional
    # UPDATE (or under the row lock while replaying synced scans), so the headcount is a count of
    # true flags and eight doors scanning at once never count a person twice.
    inside = models.BooleanField(default=False, db_default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The status this person was last emailed about. A difference from `status` is an email owed:
    # the row is its own outbox, written in the same transaction as the change it reports.
    notified_status = models.CharField(max_length=10, blank=True, default="")
    # Where the registration came from (?ref= or utm_source on the event link), sanitised.
    # (Database defaults: the RSVP fast path in capacity.py inserts rows in raw SQL.)
    source = models.CharField(max_length=40, blank=True, default="", db_default="")
    # Who may see this person on the event's "who's going" list; nobody unless they choose.
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.HIDDEN,
                                  db_default=Visibility.HIDDEN)
    # The organiser's decision on a requested RSVP, and the note they sent with it.
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=1000, blank=True, default="", db_default="")

    class Meta:
        verbose_name = "RSVP"
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_user_and_event")]
        indexes = [
            models.Index(fields=["event", "status", "created_at", "id"], name="rsvp_event_status_order"),
            # The organiser's list and exports in arrival order, any status: a page reads 100 rows, not all.
            models.Index(fields=["event", "created_at", "id"], name="rsvp_event_arrival"),
            models.Index(fields=["event", "waitlist_seq"], name="rsvp_waitlist_place",
                         condition=Q(status="waitlisted")),
            models.Index(fields=["id"], name="rsvp_email_owed",
                         condition=Q(status__in=["going", "waitlisted"]) & ~Q(notified_status=models.F("status"))),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.status})"


class ForecastAlert(models.Model):
    """An organiser was told the forecast turnout passed `threshold` percent of capacity (once each)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="forecast_alerts")
    threshold = models.PositiveSmallIntegerField()
    turnout = models.PositiveIntegerField()
    capacity = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["threshold"]
        constraints = [models.UniqueConstraint(fields=["event", "threshold"], name="one_alert_per_threshold")]

    def __str__(self) -> str:
        return f"{self.event}: forecast passed {self.threshold}%"


class Invitation(models.Model):
    """An invitation by email to help run an event, as a co-organiser or at the door. It works
    once, for the invited address, until it expires or is revoked."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Co-organiser")
        DOOR = "door", _("Door staff (check-in only)")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} of {self.event}"

    def state(self, now) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if now >= self.expires_at else "pending"


class Question(models.Model):
    """A registration question an event asks at RSVP. A question with answers is never deleted,
    only hidden (no longer asked), so the answers people gave stay readable."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        CHOICE = "choice", _("Single choice")
        MULTI_CHOICE = "multi_choice", _("Multiple choice")
        YES_NO = "yes_no", _("Yes / no")
        NUMBER = "number", _("Number")
        URL = "url", _("URL")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    show_at_checkin = models.BooleanField(default=False, help_text=_("Shown to door staff (dietary, access needs)."))
    help_text = models.CharField(max_length=300, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.label}"


class Answer(models.Model):
    """One person's answer to one question: `value` as typed (JSON), `text` as shown and exported."""

    rsvp = models.ForeignKey(RSVP, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rsvp", "question"], name="one_answer_per_question")]
        indexes = [models.Index(fields=["question", "text"], name="answer_filter")]

    def __str__(self) -> str:
        return f"{self.rsvp_id}/{self.question_id}: {self.text[:40]}"


class AttendeeInvite(models.Model):
    """An email address an organiser pasted in: whoever RSVPs with it skips approval."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendee_invites")
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="one_attendee_invite_per_email")]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.event_id}"


class CalendarFeed(models.Model):
    """A person's secret calendar feed URL (/calendar/<token>.ics). Revoking deletes the row, so
    the old URL answers 404; a new one gets a new token."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=43, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
class Offer(models.Model):
    """A freed seat held for one waitlisted person until `expires_at` (their RSVP is `offered`).

    Invariant 9: an open offer holds a seat exactly as a going RSVP does (its RSVP counts in the
    shards' `taken`), so seats never exceed capacity with offers outstanding. An offer leaves
    `open` once, by a conditional UPDATE whose row count is checked: claimed (before expiry),
    expired (after; the seat passes to the next person in the same transaction) or declined.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("Claimed")
        EXPIRED = "expired", _("Expired")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="offers")
    rsvp = models.ForeignKey(RSVP, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rsvp"], condition=Q(status="open"), name="one_open_offer_per_rsvp"),
        ]
        indexes = [models.Index(fields=["expires_at"], condition=Q(status="open"), name="offer_open_expiry")]

    def __str__(self) -> str:
        return f"Offer {self.pk} to RSVP {self.rsvp_id} ({self.status})"


class Reconfirmation(models.Model):
    """ "Still coming?" asked of one going RSVP; `answer` is yes, no, or blank (silent so far).
    One per RSVP: asking again only asks the people not asked yet."""

    class Answer(models.TextChoices):
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reconfirmations")
    rsvp = models.OneToOneField(RSVP, on_delete=models.CASCADE, related_name="reconfirmation")
    asked_at = models.DateTimeField()
    answer = models.CharField(max_length=3, choices=Answer.choices, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["event", "answer"])]

    def __str__(self) -> str:
        return f"Reconfirmation of RSVP {self.rsvp_id}: {self.answer or 'silent'}"
class EventKey(models.Model):
    """The Ed25519 key pair that signs an event's tickets (one per event, made on first use).

    The public key goes to door devices so they can verify tickets offline; the private key never
    leaves the server and is stored encrypted with a key derived from SECRET_KEY (meetup/events/signing.py).
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="signing_key")
    public_key = models.BinaryField(max_length=32)
    private_key_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Ticket key of {self.event_id}"


class Entrance(models.Model):
    """A named check-in point of an event (North door, Side gate)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="entrances")
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="one_entrance_name_per_event")]

    def __str__(self) -> str:
        return self.name


class Scan(models.Model):
    """One entry or exit scan of a ticket, online or synced from a device that scanned offline.

    `scan_id` is the device's idempotency key: a batch sent twice records each scan once. The
    outcome of every scan of one ticket is decided by replaying its scans in `scanned_at` order
    (meetup/events/services/door.py), so the earliest admission is kept and a second admission
    while inside, from another device, is a `conflict`.
    """

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        DUPLICATE = "duplicate", _("Already inside")
        CONFLICT = "conflict", _("Admitted at another door")
        EXITED = "exited", _("Left")
        NOT_INSIDE = "not_inside", _("Exit without entry")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scans")
    rsvp = models.ForeignKey(RSVP, on_delete=models.CASCADE, related_name="scans")
    entrance = models.ForeignKey(Entrance, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    direction = models.CharField(max_length=5, choices=Direction.choices, default=Direction.ENTRY)
    scanned_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    scan_id = models.CharField(max_length=64)
    device = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    offline = models.BooleanField(default=False)

    class Meta:
        ordering = ["scanned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "scan_id"], name="one_scan_per_scan_id")]
        indexes = [models.Index(fields=["rsvp", "scanned_at"], name="scan_rsvp_time"),
                   models.Index(fields=["event", "outcome"], name="scan_event_outcome")]

    def __str__(self) -> str:
        return f"{self.direction} {self.rsvp_id} at {self.scanned_at:%H:%M:%S} ({self.outcome})"
