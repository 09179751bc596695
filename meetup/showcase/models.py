"""Projects and their Hub links, likes, comments, collections, reports.

Invariants kept here and in services.py: one like per person and project (the counter moves
in the same transaction as the row); hidden content is shown to moderators and its team only;
descriptions and comments are stored raw and rendered sanitised."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetup.lib.invitations import PersonInvitation
from meetup.lib.slugs import validate_not_reserved


class Visibility(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by moderators")


class Project(models.Model):
    """Something attendees built on open models, shown in the gallery.

    `like_count` is kept by services.like_set in the same transaction as the Like row; the gallery
    reads it instead of counting. `trending_score` is recomputed by a beat task (trending.py).
    """

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True, validators=[validate_not_reserved])
    summary = models.CharField(max_length=280, help_text=_("One or two sentences for the gallery."))
    description = models.TextField(blank=True, help_text=_("Markdown; HTML is removed."))
    repository_url = models.URLField(blank=True)
    demo_url = models.URLField(blank=True)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="projects")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="team_projects")
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE)
    like_count = models.PositiveIntegerField(default=0)
    trending_score = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["visibility", "-trending_score", "-id"], name="project_trending"),
            models.Index(fields=["visibility", "-created_at", "-id"], name="project_newest"),
            models.Index(fields=["visibility", "-like_count", "-id"], name="project_most_liked"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(like_count__gte=0), name="project_like_count_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.visibility == Visibility.HIDDEN


class ProjectLink(models.Model):
    """A Hub repository a project names. Pending until hubsync has looked it up; then linked (to
    the repository under its canonical id, even if the Hub redirected) or not found."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        LINKED = "linked", _("Linked")
        NOT_FOUND = "not_found", _("Not found")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    repo_type = models.CharField(max_length=8, default="model")
    requested_id = models.CharField(max_length=200, help_text=_("The id as given, before any redirect."))
    hub_model = models.ForeignKey("hubsync.HubModel", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="project_links")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "repo_type", "requested_id"],
                                               name="projectlink_unique_per_project")]

    def __str__(self) -> str:
        return f"{self.project}: {self.requested_id} ({self.status})"

    @property
    def requested_path(self) -> str:
        return self.requested_id if self.repo_type == "model" else f"{self.repo_type}s/{self.requested_id}"


class Like(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_likes")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="like_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} likes {self.project}"


class Comment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_comments")
    body = models.TextField(help_text=_("Markdown; HTML is removed."))
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["project", "visibility", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.project}"


class Collection(models.Model):
    """A named list of projects; public ones anyone can see, private ones only their owner."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=280, blank=True)
    is_public = models.BooleanField(default=False)
    projects = models.ManyToManyField(Project, through="CollectionItem", related_name="collections")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="collection_name_unique_per_owner")]

    def __str__(self) -> str:
        return self.name


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["collection", "project"], name="collection_item_once")]

    def __str__(self) -> str:
        return f"{self.project} in {self.collection}"


class Report(models.Model):
    """Someone asked moderators to look at a project or a comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Harassment or abuse")
        UNSAFE = "unsafe", _("Harmful or unsafe content")
        LICENSE = "license", _("License or copyright problem")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    details = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, comment__isnull=True)
                | Q(project__isnull=True, comment__isnull=False),
                name="report_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.get_reason_display()}, {self.status})"

    @property
    def target(self):
        return self.project if self.project_id else self.comment


class ProjectInvitation(PersonInvitation):
    """An invitation to join a project's team. Until the person accepts they are not shown as a
    member and have no rights on the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_invitations")

    class Meta(PersonInvitation.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "user"], condition=models.Q(status="pending"),
                                               name="one_pending_project_invitation")]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.project}"
