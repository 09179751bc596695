"""Hooks into the worker processes that serve the gpu queue."""

import logging

from celery import current_app
from celery.signals import worker_process_init

log = logging.getLogger(__name__)


def _serves_gpu_queue() -> bool:
    return "gpu" in current_app.amqp.queues.consume_from


@worker_process_init.connect
def warm_up(**kwargs):
    """In a gpu worker's child (after the fork), import torch and transformers (with the parts
    a load uses), so the first run's time limit is not spent importing them. Models still load on
    their first run."""
    if not _serves_gpu_queue():
        return
    try:
        import torch  # noqa: F401
        import transformers
        import transformers.pipelines  # noqa: F401
        from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer  # noqa: F401
    except ImportError:
        log.info("torch and transformers are not installed: demo runs will fail. "
                    "Install the demos extra: pip install '.[demos]'")
        return
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
