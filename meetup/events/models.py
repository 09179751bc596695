import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from meetup.lib.bounds import validate_datetime
from meetup.lib.slugs import validate_not_reserved


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (use an IANA name like Europe/Paris).")


class Venue(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, validators=[validate_not_reserved])
    address = models.TextField()
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    capacity_standing = models.PositiveIntegerField()
    capacity_seated = models.PositiveIntegerField(null=True, blank=True)
    accessibility = models.TextField(blank=True, help_text="Step-free access, lifts, toilets, hearing loops.")
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
        HELD = "held", "Held"
        CONFIRMED = "confirmed", "Confirmed"
        RELEASED = "released", "Released"
        EXPIRED = "expired", "Expired"

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
                                   violation_error_message="A booking must end after it starts."),
        ]

    def __str__(self) -> str:
        return f"{self.venue.name} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M} ({self.status})"


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True, validators=[validate_not_reserved])
    description = models.TextField(blank=True, help_text="Markdown; HTML is removed.")
    starts_at = models.DateTimeField(validators=[validate_datetime])
    ends_at = models.DateTimeField(validators=[validate_datetime])
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    capacity = models.PositiveIntegerField()
    rsvp_opens_at = models.DateTimeField(null=True, blank=True, validators=[validate_datetime])
    rsvp_closes_at = models.DateTimeField(null=True, blank=True, validators=[validate_datetime])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    code_of_conduct_url = models.URLField(blank=True)
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organised_events", blank=True)
    # Check-in only: the door page and the check-in API, nothing else.
    door_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="door_events", blank=True)
    # The last waitlist place handed out (capacity.waitlist_place): each waitlisted RSVP takes the next.
    waitlist_last = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start",
                                   violation_error_message="The event must end after it starts."),
            models.CheckConstraint(
                condition=Q(rsvp_closes_at__isnull=True) | Q(rsvp_opens_at__isnull=True)
                | Q(rsvp_closes_at__gt=models.F("rsvp_opens_at")),
                name="event_rsvp_window_ordered",
                violation_error_message="RSVPs must close after they open.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

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
        GOING = "going", "Going"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled"

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
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The status this person was last emailed about. A difference from `status` is an email owed:
    # the row is its own outbox, written in the same transaction as the change it reports.
    notified_status = models.CharField(max_length=10, blank=True, default="")

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
        ORGANISER = "organiser", "Co-organiser"
        DOOR = "door", "Door staff (check-in only)"

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
