"""What we know of Hub repositories (HubModel: canonical id, sha, counts, sanitised card) and daily
like snapshots for trending. Refreshed by services.py; the Hub is reached only through client.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HubModel(models.Model):
    """What we know of one Hub repository (a model, dataset or Space) that a project links to.

    `repo_id` is the canonical id the Hub answered with, so a renamed repository is stored under
    its new name. `card_html` is the README body rendered and sanitised (untrusted Markdown);
    it is re-fetched only when `sha` moves (`card_sha` is the revision it was read at).
    """

    class RepoType(models.TextChoices):
        MODEL = "model", _("Model")
        DATASET = "dataset", _("Dataset")
        SPACE = "space", _("Space")

    class Status(models.TextChoices):
        OK = "ok", _("Found")
        NOT_FOUND = "not_found", _("Not found")
        PRIVATE = "private", _("Private")

    repo_type = models.CharField(max_length=8, choices=RepoType.choices, default=RepoType.MODEL)
    repo_id = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK, db_index=True)
    author = models.CharField(max_length=100, blank=True, db_index=True)
    sha = models.CharField(max_length=64, blank=True)
    likes = models.PositiveIntegerField(default=0)
    downloads = models.PositiveBigIntegerField(default=0, help_text=_("Last 30 days, as the Hub counts them."))
    pipeline_tag = models.CharField(max_length=64, blank=True, db_index=True)
    library_name = models.CharField(max_length=64, blank=True, db_index=True)
    license = models.CharField(max_length=64, blank=True, db_index=True)
    tags = models.JSONField(default=list, blank=True)
    card_data = models.JSONField(default=dict, blank=True)
    card_html = models.TextField(blank=True)
    card_sha = models.CharField(max_length=64, blank=True)
    has_intended_use = models.BooleanField(default=False)
    has_limitations = models.BooleanField(default=False)
    gated = models.CharField(max_length=8, blank=True, help_text=_("auto or manual when access needs approval"))
    private = models.BooleanField(default=False)
    last_modified = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["repo_type", "repo_id"]
        constraints = [models.UniqueConstraint(fields=["repo_type", "repo_id"], name="hubmodel_unique_repo")]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        return self.repo_id if self.repo_type == self.RepoType.MODEL else f"{self.repo_type}s/{self.repo_id}"

    @property
    def hub_url(self) -> str:
        from django.conf import settings

        return f"{settings.HF_ENDPOINT.rstrip('/')}/{self.path}"

    @staticmethod
    def _as_list(value) -> list[str]:
        if not value:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    @property
    def datasets(self) -> list[str]:
        return self._as_list(self.card_data.get("datasets"))

    @property
    def base_models(self) -> list[str]:
        return self._as_list(self.card_data.get("base_model"))

    def card_checklist(self) -> list[tuple[str, bool]]:
        """The parts of a good model card, each with whether this one has it."""
        return [
            (_("License"), bool(self.license)),
            (_("Training datasets"), bool(self.datasets)),
            (_("Base model"), bool(self.base_models)),
            (_("Task (pipeline tag)"), bool(self.pipeline_tag)),
            (_("Intended use"), self.has_intended_use),
            (_("Limitations"), self.has_limitations),
        ]

    def card_missing(self) -> list[str]:
        return [str(name) for name, present in self.card_checklist() if not present]


class LikeSnapshot(models.Model):
    """A repository's Hub likes (and downloads) on one day, for the 7-day change in trending."""

    hub_model = models.ForeignKey(HubModel, on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField()
    likes = models.PositiveIntegerField()
    downloads = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["hub_model", "day"]
        constraints = [models.UniqueConstraint(fields=["hub_model", "day"], name="likesnapshot_one_per_day")]

    def __str__(self) -> str:
        return f"{self.hub_model} {self.day}: {self.likes}"
