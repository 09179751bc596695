from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetup.demos.models import Demo
from meetup.demos.selectors import is_allowed

# Weights in other formats than the one transformers loads here would only fill the disk.
IGNORE = ["*.h5", "*.msgpack", "*.onnx", "*.ot", "*.tflite", "*.gguf", "*.mlmodel", "onnx/*", "openvino/*",
          "coreml/*", "flax_model*", "tf_model*", "rust_model*"]


class Command(BaseCommand):
    help = ("Download the files of every enabled demo's model, at its pinned revision, into the model "
            "cache (DEMO_MODEL_CACHE), so the gpu worker never downloads during a request.")

    def handle(self, **options):
        from huggingface_hub import HfApi, constants, snapshot_download

        if constants.HF_HUB_OFFLINE:
            raise CommandError("HF_HUB_OFFLINE is set: run this with HF_HUB_OFFLINE=0.")
        api = HfApi(endpoint=settings.HF_ENDPOINT, token=settings.HF_TOKEN or None)
        demos = [d for d in Demo.objects.select_related("hub_model").filter(enabled=True).order_by("pk")
                 if is_allowed(d)]
        if not demos:
            self.stdout.write("No enabled demo: nothing to fetch.")
        for demo in demos:
            files = [s.rfilename for s in api.model_info(demo.repo_id, revision=demo.revision).siblings or []]
            # PyTorch's pickle weights only when the repository has no safetensors.
            ignore = IGNORE + (["*.bin", "*.pt", "*.pth"] if any(f.endswith(".safetensors") for f in files) else [])
            path = snapshot_download(demo.repo_id, revision=demo.revision, cache_dir=settings.DEMO_MODEL_CACHE,
                                     endpoint=settings.HF_ENDPOINT, token=settings.HF_TOKEN or None,
                                     ignore_patterns=ignore)
            self.stdout.write(f"{demo.repo_id}@{demo.revision[:7]}: {path}")
