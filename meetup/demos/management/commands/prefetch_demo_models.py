from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hubsync.client import HubOffline, model_snapshot_download
from meetup.demos.models import Demo
from meetup.demos.selectors import is_allowed


class Command(BaseCommand):
    help = ("Download the files of every enabled demo's model, at its pinned revision, into the model "
            "cache (DEMO_MODEL_CACHE), so the gpu worker never downloads during a request.")

    def handle(self, **options):
        demos = [d for d in Demo.objects.select_related("hub_model").filter(enabled=True).order_by("pk")
                 if is_allowed(d)]
        if not demos:
            self.stdout.write("No enabled demo: nothing to fetch.")
        for demo in demos:
            try:
                path = model_snapshot_download(demo.repo_id, revision=demo.revision,
                                               cache_dir=settings.DEMO_MODEL_CACHE)
            except HubOffline as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{demo.repo_id}@{demo.revision[:7]}: {path}")
