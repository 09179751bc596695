"""Demos of projects' Hub models and their runs on the gpu queue.

Invariant kept with services.py: only enabled, allow-listed demos ever load; a run ends (done,
failed or timed out) whatever happens to its worker."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SHA_VALIDATOR = RegexValidator(r"^[0-9a-f]{40}$", "A revision is a 40-character commit sha.")


class Task(models.TextChoices):
    TEXT_GENERATION = "text-generation", _("Text generation")
    TEXT_CLASSIFICATION = "text-classification", _("Text classification")
    FILL_MASK = "fill-mask", _("Fill the mask")
    FEATURE_EXTRACTION = "feature-extraction", _("Embeddings")
    SENTENCE_SIMILARITY = "sentence-similarity", _("Sentence similarity")


class Demo(models.Model):
    """A project's "try it" box: one of its linked Hub models, at a pinned revision, run on the
    gpu queue. Only enabled demos are ever loaded by a worker (and, when DEMO_ALLOWED_MODELS is
    set, only the repositories it names)."""

    project = models.OneToOneField("showcase.Project", on_delete=models.CASCADE, related_name="demo")
    hub_model = models.ForeignKey("hubsync.HubModel", on_delete=models.PROTECT, related_name="demos")
    task = models.CharField(max_length=24, choices=Task.choices)
    revision = models.CharField(max_length=40, validators=[SHA_VALIDATOR],
                                help_text=_("The commit the worker loads; prefetched ahead of the event."))
    enabled = models.BooleanField(default=False)
    max_input_chars = models.PositiveIntegerField(default=500, validators=[MinValueValidator(1)])
    max_new_tokens = models.PositiveSmallIntegerField(
        default=64, validators=[MinValueValidator(1), MaxValueValidator(4096)],
        help_text=_("Text generation only: how many tokens a run may add."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project"]
        constraints = [
            models.CheckConstraint(condition=Q(max_input_chars__gte=1), name="demo_input_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.repo_id}@{self.revision[:7]} ({self.task})"

    @property
    def repo_id(self) -> str:
        return self.hub_model.repo_id


class DemoRun(models.Model):
    """One visitor's request to a demo, from the moment it is queued until its result (or why
    there is none). A worker claims queued runs with SKIP LOCKED, so each runs once; the sweeper
    ends any left running or queued past their deadline."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        TIMED_OUT = "timed_out", _("Timed out")

    demo = models.ForeignKey(Demo, on_delete=models.CASCADE, related_name="runs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="demo_runs")
    ip = models.GenericIPAddressField(null=True, blank=True)
    input = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    output = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, help_text=_("What the visitor is told when it failed."))
    repo_id = models.CharField(max_length=200, blank=True)
    revision = models.CharField(max_length=40, blank=True, help_text=_("The commit that answered."))
    device = models.CharField(max_length=16, blank=True)
    batch_size = models.PositiveSmallIntegerField(null=True, blank=True,
                                                  help_text=_("How many runs went through the model together."))
    claimed_by = models.CharField(max_length=64, blank=True, help_text=_("The task that took it."))
    inference_ms = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True, help_text=_("From queued to finished."))
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # What a worker claims: the oldest queued runs of one demo.
            models.Index(fields=["demo", "created_at", "id"], condition=Q(status="queued"), name="demorun_queued"),
            models.Index(fields=["status", "started_at"], condition=Q(status__in=["queued", "running"]),
                         name="demorun_live"),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.demo_id} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
