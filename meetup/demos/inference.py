"""Models in a gpu worker's process: loaded lazily from the local Hub cache, kept by
(repository, commit, kind), run on a batch of inputs at once.

Importing this module imports nothing heavy: torch and transformers are imported inside the
functions, which only a worker's child process calls, so the worker's parent never touches CUDA
before it forks.
"""

import logging
import math
import signal
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext_noop

log = logging.getLogger(__name__)

# Models kept loaded in one process; the least recently used goes first.
MAX_LOADED = 4
TOP_K = 5
PREVIEW = 8


class ModelNotCached(Exception):
    """The model's files are not in the local cache: run `manage.py prefetch_demo_models`."""


@dataclass
class Answer:
    results: list  # one per input: a JSON-able dict, or the exception that input raised
    device: str


@dataclass
class Loaded:
    model: object
    tokenizer: object
    pipeline: object | None
    device: str


_loaded: "OrderedDict[tuple[str, str, str], Loaded]" = OrderedDict()
_lock = threading.Lock()


def device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _kind(task: str) -> str:
    return "embeddings" if task in ("feature-extraction", "sentence-similarity") else task


@contextmanager
def _soft_limit_deferred():
    """Celery's soft time limit raises wherever the process happens to be. Half-way through an
    import or a load that would leave the process broken for every later run, so while loading,
    a soft limit is only noted, and raised once the load is done. (The hard limit still kills
    the process; its replacement starts clean.)"""
    usr1 = getattr(signal, "SIGUSR1", None)
    if usr1 is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    hit = []
    previous = signal.signal(usr1, lambda signum, frame: hit.append(signum))
    try:
        yield
    finally:
        signal.signal(usr1, previous)
        if hit:
            raise SoftTimeLimitExceeded()


def load(*, repo_id: str, revision: str, task: str) -> Loaded:
    """The model for the task at that commit, from the cache only (never the network). A load
    that ran past the soft limit is kept, so the next run finds it ready."""
    key = (repo_id, revision, _kind(task))
    with _lock:
        if key in _loaded:
            _loaded.move_to_end(key)
            return _loaded[key]
        while len(_loaded) >= MAX_LOADED:
            _, evicted = _loaded.popitem(last=False)
            if evicted.device == "cuda":
                import torch

                del evicted
                torch.cuda.empty_cache()
        with _soft_limit_deferred():
            _loaded[key] = _load(repo_id=repo_id, revision=revision, kind=key[2])
        return _loaded[key]


def _load(*, repo_id: str, revision: str, kind: str) -> Loaded:
    import transformers

    classes = {
        "text-generation": transformers.AutoModelForCausalLM,
        "text-classification": transformers.AutoModelForSequenceClassification,
        "fill-mask": transformers.AutoModelForMaskedLM,
        "embeddings": transformers.AutoModel,
    }
    where = dict(revision=revision, cache_dir=settings.DEMO_MODEL_CACHE, local_files_only=True)
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(repo_id, **where)
        model = classes[kind].from_pretrained(repo_id, dtype="auto", **where)
    except OSError as exc:
        raise ModelNotCached(f"{repo_id}@{revision} is not in {settings.DEMO_MODEL_CACHE}: {exc}") from exc
    on = device()
    model.to(on).eval()
    pipe = None
    if kind == "text-generation":
        tokenizer.padding_side = "left"  # a batch of prompts generates from aligned ends
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    if kind != "embeddings":
        pipe = transformers.pipeline(kind, model=model, tokenizer=tokenizer, device=on)
    log.info("loaded %s@%s for %s on %s", repo_id, revision[:7], kind, on)
    return Loaded(model=model, tokenizer=tokenizer, pipeline=pipe, device=on)


def predict(*, repo_id: str, revision: str, task: str, inputs: list[str], max_new_tokens: int) -> Answer:
    """Run all inputs through the model in one batch. If the batch fails, each input is tried
    alone, so one bad input costs only its own answer."""
    loaded = load(repo_id=repo_id, revision=revision, task=task)
    run = RUNNERS[task]
    try:
        results = run(loaded, inputs, max_new_tokens=max_new_tokens)
    except SoftTimeLimitExceeded:
        raise
    except Exception:
        if len(inputs) == 1:
            raise
        log.exception("%s@%s: a batch of %d failed; trying each input alone", repo_id, revision[:7], len(inputs))
        results = []
        for text in inputs:
            try:
                results.extend(run(loaded, [text], max_new_tokens=max_new_tokens))
            except SoftTimeLimitExceeded:
                raise
            except Exception as exc:
                log.exception("%s@%s: an input failed", repo_id, revision[:7])
                results.append(exc)
    return Answer(results=results, device=loaded.device)


def _clip(text: str) -> str:
    return text[:settings.DEMO_MAX_OUTPUT_CHARS]


def _generate(loaded: Loaded, inputs, *, max_new_tokens):
    out = loaded.pipeline(inputs, batch_size=len(inputs), max_new_tokens=max_new_tokens, do_sample=False,
                          return_full_text=False)
    return [{"text": _clip(item[0]["generated_text"])} for item in out]


def _classify(loaded: Loaded, inputs, *, max_new_tokens):
    out = loaded.pipeline(inputs, batch_size=len(inputs), top_k=TOP_K, truncation=True)
    return [{"labels": [{"label": str(c["label"]), "score": round(float(c["score"]), 4)} for c in item]}
            for item in out]


def _fill_mask(loaded: Loaded, inputs, *, max_new_tokens):
    mask = loaded.tokenizer.mask_token
    out = loaded.pipeline([text.replace("[MASK]", mask) for text in inputs], batch_size=len(inputs), top_k=TOP_K)
    if len(inputs) == 1 and out and isinstance(out[0], dict):
        out = [out]
    return [{"candidates": [{"token": c["token_str"].strip(), "score": round(float(c["score"]), 4),
                             "sequence": _clip(c["sequence"])} for c in item]} for item in out]


def _embed(loaded: Loaded, sentences: list[str]):
    """Mean of the last hidden states over real tokens (padding left out), one row per sentence."""
    import torch

    encoded = loaded.tokenizer(sentences, padding=True, truncation=True, return_tensors="pt").to(loaded.device)
    with torch.inference_mode():
        hidden = loaded.model(**encoded).last_hidden_state
    mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return ((hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)).float().cpu()


def _features(loaded: Loaded, inputs, *, max_new_tokens):
    vectors = _embed(loaded, inputs)
    return [{"dimensions": int(v.shape[0]), "norm": round(float(v.norm()), 4),
             "preview": [round(float(x), 4) for x in v[:PREVIEW]]} for v in vectors]


def _similarity(loaded: Loaded, inputs, *, max_new_tokens):
    import torch

    groups = [text.splitlines() for text in inputs]
    vectors = torch.nn.functional.normalize(_embed(loaded, [s for group in groups for s in group]), dim=1)
    results, at = [], 0
    for group in groups:
        source, others = vectors[at], vectors[at + 1:at + len(group)]
        scores = (others @ source).tolist()
        results.append({"source": group[0], "scores": [
            {"sentence": sentence, "score": round(score, 4) if math.isfinite(score) else 0.0}
            for sentence, score in zip(group[1:], scores, strict=True)]})
        at += len(group)
    return results


RUNNERS = {
    "text-generation": _generate,
    "text-classification": _classify,
    "fill-mask": _fill_mask,
    "feature-extraction": _features,
    "sentence-similarity": _similarity,
}


def friendly(exc: Exception) -> str:
    """What a visitor is told when a whole batch failed (the log has the details)."""
    if isinstance(exc, ModelNotCached):
        return gettext_noop("This model is not ready on the demo worker yet. The organisers have been told.")
    if isinstance(exc, ImportError):
        return gettext_noop("The demo worker cannot run models right now. The organisers have been told.")
    return gettext_noop("Something went wrong while running the model. Please try again.")
