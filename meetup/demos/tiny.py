"""Tiny random models (GPT-2 and BERT shapes with a word-level tokenizer), built offline in a
fraction of a second and saved in the Hub cache layout, so a worker loads them exactly as it
loads a prefetched model: `from_pretrained(repo_id, revision=sha, cache_dir=..., local_files_only=True)`.

For tests, benchmarks and trying the demos on a machine with no network. They answer nonsense.
Needs the demos extra (torch, transformers)."""

import hashlib
from pathlib import Path

WORDS = ("the a an open model models meetup demo people build share small big fast slow good new old is are "
         "was and or to of in on with for we you they it this that hello world cat dog park run ran sat "
         "mat red blue green happy sad love great bad story tells once upon time there").split()
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
KINDS = ("gpt2", "bert", "bert-classifier")


def fake_sha(repo_id: str) -> str:
    return hashlib.sha1(f"tiny:{repo_id}".encode()).hexdigest()


def _tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate([*SPECIAL, *WORDS])}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.decoder = decoders.WordPiece()  # joins words with spaces
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", bos_token="[CLS]", eos_token="[SEP]")


def _model(kind: str, vocab_size: int, n_positions: int, seed: int):
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertForSequenceClassification, GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    if kind == "gpt2":
        # No end-of-text token the model could emit: generation always runs to max_new_tokens.
        config = GPT2Config(vocab_size=vocab_size, n_positions=n_positions, n_embd=32, n_layer=2, n_head=2,
                            bos_token_id=2, eos_token_id=None, pad_token_id=0)
        return GPT2LMHeadModel(config)
    config = BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=n_positions, pad_token_id=0)
    if kind == "bert-classifier":
        config.id2label, config.label2id = {0: "negative", 1: "positive"}, {"negative": 0, "positive": 1}
        return BertForSequenceClassification(config)
    return BertForMaskedLM(config)


def tiny_model_store(*, cache_dir, repo_id: str, kind: str, n_positions: int = 512, seed: int = 0) -> str:
    """Build a tiny random model of `kind` and save it under `cache_dir` as the Hub cache keeps
    `repo_id` (models--org--name/snapshots/<sha>/, refs/main). Returns the sha."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    tokenizer = _tokenizer()
    sha = fake_sha(repo_id)
    root = Path(cache_dir) / f"models--{repo_id.replace('/', '--')}"
    snapshot = root / "snapshots" / sha
    snapshot.mkdir(parents=True, exist_ok=True)
    _model(kind, len(tokenizer), n_positions, seed).save_pretrained(snapshot)
    tokenizer.save_pretrained(snapshot)
    (root / "refs").mkdir(exist_ok=True)
    (root / "refs" / "main").write_text(sha)
    return sha
