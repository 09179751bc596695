"""Calls for applications, applications and their teams, the judging panel's reviews and scores.

Invariants kept with services.py: applications close to the second at the deadline; a judge
with a conflict never sees or scores that application; decisions are told once."""

import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meetup.events.models import validate_timezone
from meetup.lib.bounds import validate_datetime
from meetup.lib.invitations import PersonInvitation
from meetup.lib.slugs import validate_not_reserved

SCORE_MIN, SCORE_MAX = 1, 10


class Call(models.Model):
    """A call for applications: open from `opens_at` until `closes_at` (exclusive; the server
    refuses every change to an application from that second on), judged by its panel, with at
    most `winners` accepted."""

    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True, validators=[validate_not_reserved])
    description = models.TextField(blank=True, help_text=_("Markdown; HTML is removed."))
    opens_at = models.DateTimeField(validators=[validate_datetime])
    closes_at = models.DateTimeField(validators=[validate_datetime])
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone],
                                help_text=_("Opening and closing times are shown in this time zone."))
    winners = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1)],
                                               help_text=_("How many applications may be accepted."))
    anonymised = models.BooleanField(
        default=False, help_text=_("While on, judges see neither the startup's name nor its team."))
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organised_calls")
    judges = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="judged_calls")
    # The decision notice: one broadcast per call, created by the first notify.
    decisions_broadcast = models.OneToOneField("broadcasts.Broadcast", null=True, blank=True,
                                               on_delete=models.SET_NULL, related_name="program_call")
    decisions_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_it_opens"),
            models.CheckConstraint(condition=Q(winners__gte=1), name="call_at_least_one_winner"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def is_open_at(self, now) -> bool:
        return self.opens_at <= now < self.closes_at


class Question(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """A rubric line judges score from SCORE_MIN to SCORE_MAX; `weight` is its share of the total."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=120)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name_plural = "criteria"
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return f"{self.name} (×{self.weight})"


class Application(models.Model):
    """A startup's application. Its team (creator included) are its applicants; a person is on at
    most one application per call (TeamMember's unique constraint)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        NONE = "", _("Undecided")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="program_applications")
    startup_name = models.CharField(max_length=120)
    pitch = models.TextField(blank=True, help_text=_("Markdown; HTML is removed."))
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, through="TeamMember", related_name="+")
    projects = models.ManyToManyField("showcase.Project", blank=True, related_name="program_applications")
    # Hub repositories as canonical paths ("org/name", "datasets/org/name").
    hub_links = models.JSONField(default=list, blank=True)
    # Question id (as a string) -> answer (Markdown).
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Organisers' staging area; applicants see the decision only once it has been sent.
    shortlisted = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "id"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.startup_name} ({self.call})"

    @property
    def anonymous_label(self) -> str:
        return f"Application #{self.pk}"


class TeamMember(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_memberships")
    # Copied from the application so the database can hold "one application per person per call".
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="one_application_per_person_per_call")]

    def __str__(self) -> str:
        return f"{self.user} on {self.application}"


class Assignment(models.Model):
    """A judge asked to score an application. A call without assignments has every judge score
    every application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "judge"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.judge} judges {self.application}"


class Conflict(models.Model):
    """A judge's declared conflict of interest: the application is hidden from them and their
    scores, if any, no longer count."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_conflicts")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "judge"], name="conflict_once")]

    def __str__(self) -> str:
        return f"{self.judge} conflicted on {self.application}"


class Review(models.Model):
    """One judge's scorecard for one application: a score per criterion and a comment."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_reviews")
    comment = models.TextField(blank=True, help_text=_("Markdown; HTML is removed."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "judge"], name="review_once")]

    def __str__(self) -> str:
        return f"{self.judge} on {self.application}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX), name="score_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.value}"


class TeamInvitation(PersonInvitation):
    """An invitation to join an application's team. Until the person accepts they are not a
    member: no rights on the application, no effect on judging, free to apply elsewhere."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_invitations")

    class Meta(PersonInvitation.Meta):
        constraints = [models.UniqueConstraint(fields=["application", "user"], condition=Q(status="pending"),
                                               name="one_pending_program_invitation")]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.application}"
