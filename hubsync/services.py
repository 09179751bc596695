"""Keeping HubModel rows in step with the Hub: one repository at a time (when a project links it, or
a Hub webhook says it changed) and in bulk (the periodic refresh, one paged listing per owner)."""

import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from huggingface_hub import RepoCard

from hubsync.client import HubClient, RateLimited, RepoInfo, RepoNotFound, RepoRef, hub_client
from hubsync.models import HubModel, LikeSnapshot
from meetup.lib.dispatch import enqueue_on_commit
from meetup.lib.markdown import render_markdown

logger = logging.getLogger(__name__)

SNAPSHOT_PATH = Path(__file__).resolve().parent / "snapshot.json"
# Owners with at least this many linked repositories are refreshed from one paged listing; the
# rest one repository at a time (a listing of a big organisation costs more than a few look-ups).
AUTHOR_LISTING_MIN = 20
PAUSE_KEY = "hubsync:paused-until"

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_INTENDED_USE = re.compile(r"\b(intended use|intended uses|uses|direct use|use cases?|how to use)\b", re.IGNORECASE)
_LIMITATIONS = re.compile(r"\b(limitations?|risks|bias(es)?)\b", re.IGNORECASE)
# Fields a listing and a look-up both carry; a refresh writes a row only when one of them moved.
SYNCED_FIELDS = ("author", "sha", "likes", "downloads", "pipeline_tag", "library_name", "license", "tags", "card_data",
                 "gated", "private", "last_modified", "status")
COUNT_FIELDS = {"likes", "downloads"}


# --- Rate limits ----------------------------------------------------------------------------------
def hub_pause(seconds: int) -> None:
    """Remember that the Hub asked us to wait, so other tasks wait too instead of hitting it."""
    cache.set(PAUSE_KEY, time.time() + seconds, timeout=seconds)


def hub_paused_for() -> int:
    """Seconds left of a pause the Hub asked for; 0 when there is none."""
    until = cache.get(PAUSE_KEY)
    return max(0, int(until - time.time()) + 1) if until else 0


# --- Cards ----------------------------------------------------------------------------------------
@dataclass
class Card:
    html: str
    metadata: dict
    has_intended_use: bool
    has_limitations: bool


def card_parse(text: str) -> Card:
    """A README split into its YAML metadata and its body, the body rendered and sanitised."""
    if text.lstrip().startswith("---"):
        card = RepoCard(text, ignore_metadata_errors=True)
        body, metadata = card.text, card.data.to_dict() if card.data else {}
    else:  # no YAML block: the whole file is the body
        body, metadata = text, {}
    headings = _HEADING.findall(body)
    return Card(
        html=render_markdown(body),
        metadata=metadata,
        has_intended_use=any(_INTENDED_USE.search(h) for h in headings),
        has_limitations=any(_LIMITATIONS.search(h) for h in headings),
    )


def _card_apply(hub_model: HubModel, text: str | None, sha: str) -> None:
    card = card_parse(text) if text else Card("", {}, False, False)
    hub_model.card_html = card.html
    hub_model.has_intended_use = card.has_intended_use
    hub_model.has_limitations = card.has_limitations
    hub_model.card_sha = sha


# --- One repository -------------------------------------------------------------------------------
def _values(info: RepoInfo) -> dict:
    if info.private:
        # Only a token with access sees a private repository; nothing of it is kept or shown.
        return {"status": HubModel.Status.PRIVATE, "private": True, "author": info.repo_id.partition("/")[0],
                "sha": "", "likes": 0, "downloads": 0, "pipeline_tag": "", "library_name": "", "license": "",
                "tags": [], "card_data": {}, "gated": "", "last_modified": None}
    return {
        "status": HubModel.Status.OK, "author": info.repo_id.partition("/")[0] if "/" in info.repo_id else "",
        "sha": info.sha, "likes": info.likes, "downloads": info.downloads, "pipeline_tag": info.pipeline_tag[:64],
        "library_name": info.library_name[:64], "license": info.license[:64], "tags": info.tags,
        "card_data": info.card_data, "gated": info.gated, "private": False, "last_modified": info.last_modified,
    }


def _merge(old: HubModel, into: HubModel) -> None:
    """Point everything that refers to `old` at `into` (the same repository under its new name)."""
    for relation in HubModel._meta.related_objects:
        if relation.related_model is LikeSnapshot:
            continue
        relation.related_model._base_manager.filter(**{relation.field.name: old}).update(**{relation.field.name: into})
    old.delete()


def _canonical_row(ref: RepoRef, canonical_id: str) -> HubModel:
    """The row for `canonical_id`, renaming or merging the row under the id we asked for."""
    asked = HubModel.objects.filter(repo_type=ref.repo_type, repo_id=ref.repo_id).first()
    if canonical_id == ref.repo_id:
        return asked or HubModel.objects.get_or_create(repo_type=ref.repo_type, repo_id=canonical_id)[0]
    target = HubModel.objects.filter(repo_type=ref.repo_type, repo_id=canonical_id).first()
    if asked is None:
        return target or HubModel.objects.get_or_create(repo_type=ref.repo_type, repo_id=canonical_id)[0]
    if target is None:
        try:
            with transaction.atomic():
                HubModel.objects.filter(pk=asked.pk).update(repo_id=canonical_id)
            asked.repo_id = canonical_id
            return asked
        except IntegrityError:  # someone stored the canonical row meanwhile
            target = HubModel.objects.get(repo_type=ref.repo_type, repo_id=canonical_id)
    with transaction.atomic():
        _merge(asked, target)
    return target


def repo_sync(*, ref: RepoRef, client: HubClient | None = None) -> HubModel:
    """Fetch one repository's metadata and store it under its canonical id; re-read its card only
    when its sha moved. A repository the Hub does not show us is stored as not found.

    Raises RateLimited (after pausing every other Hub call) and HubError for the caller to retry.
    """
    client = client or hub_client()
    try:
        info = client.repo_info(ref)
    except RateLimited as exc:
        hub_pause(exc.retry_after)
        raise
    except RepoNotFound:
        hub_model, _ = HubModel.objects.get_or_create(repo_type=ref.repo_type, repo_id=ref.repo_id)
        hub_model.status, hub_model.fetched_at = HubModel.Status.NOT_FOUND, timezone.now()
        hub_model.save(update_fields=["status", "fetched_at"])
        return hub_model
    hub_model = _canonical_row(ref, info.repo_id)
    for name, value in _values(info).items():
        setattr(hub_model, name, value)
    if info.private:
        _card_apply(hub_model, None, "")
    elif info.sha != hub_model.card_sha or not info.sha:
        _card_apply(hub_model, client.readme(RepoRef(ref.repo_type, info.repo_id), revision=info.sha), info.sha)
    hub_model.fetched_at = timezone.now()
    hub_model.save()
    if not info.private:
        snapshots_record([hub_model])
    return hub_model


def snapshots_record(hub_models: list[HubModel], *, day: date | None = None) -> int:
    """Today's like count for each repository; one row per repository and day, the latest wins.
    Writes only rows that are new or changed."""
    day = day or timezone.localdate()
    known = dict(LikeSnapshot.objects.filter(hub_model__in=[m.pk for m in hub_models], day=day)
                 .values_list("hub_model_id", "likes"))
    rows = [m for m in hub_models if known.get(m.pk) != m.likes]
    if not rows:
        return 0
    if connection.vendor == "postgresql":  # one statement however many rows
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO hubsync_likesnapshot (hub_model_id, day, likes, downloads)"
                " SELECT id, %s, likes, downloads FROM unnest(%s::bigint[], %s::integer[], %s::bigint[])"
                " AS v(id, likes, downloads)"
                " ON CONFLICT (hub_model_id, day) DO UPDATE SET likes = EXCLUDED.likes, downloads = EXCLUDED.downloads",
                [day, [m.pk for m in rows], [m.likes for m in rows], [m.downloads for m in rows]],
            )
    else:
        LikeSnapshot.objects.bulk_create(
            [LikeSnapshot(hub_model_id=m.pk, day=day, likes=m.likes, downloads=m.downloads) for m in rows],
            batch_size=500, update_conflicts=True, unique_fields=["hub_model", "day"],
            update_fields=["likes", "downloads"])
    return len(rows)


# --- Many repositories ----------------------------------------------------------------------------
@dataclass
class RefreshResult:
    seen: int = 0
    changed: int = 0
    cards: int = 0
    missing: list[int] = field(default_factory=list)  # tracked here, absent from the listing


def author_refresh(*, repo_type: str, author: str, client: HubClient | None = None) -> RefreshResult:
    """Refresh every tracked repository of one owner from one paged listing.

    Rows are written only when something changed, cards re-read only when a sha moved; tracked
    repositories missing from the listing (renamed, deleted, made private) are returned in
    `missing` for a look-up each.
    """
    client = client or hub_client()
    # The card text stays in the database unless a new one replaces it.
    rows = HubModel.objects.filter(repo_type=repo_type, repo_id__startswith=f"{author}/").defer("card_html")
    tracked = {m.repo_id: m for m in rows}
    result, counts, changed, carded = RefreshResult(), [], [], []
    try:
        for info in client.list_repos(repo_type, author=author):
            hub_model = tracked.pop(info.repo_id, None)
            if hub_model is None:
                continue
            result.seen += 1
            values = _values(info)
            moved = {k for k, v in values.items() if getattr(hub_model, k) != v}
            if not moved:
                continue
            for name in moved:
                setattr(hub_model, name, values[name])
            if moved <= COUNT_FIELDS:
                counts.append(hub_model)
                continue
            if not info.private and info.sha != hub_model.card_sha:
                _card_apply(hub_model, client.readme(RepoRef(repo_type, info.repo_id), revision=info.sha), info.sha)
                carded.append(hub_model)
            else:
                changed.append(hub_model)
    except RateLimited as exc:
        hub_pause(exc.retry_after)
        raise
    finally:
        # What was read before a failure is kept.
        now = timezone.now()
        for hub_model in counts + changed + carded:
            hub_model.fetched_at = now
        _counts_write(counts)
        HubModel.objects.bulk_update(changed, [*SYNCED_FIELDS, "fetched_at"], batch_size=500)
        HubModel.objects.bulk_update(carded, [*SYNCED_FIELDS, "card_html", "card_sha", "has_intended_use",
                                              "has_limitations", "fetched_at"], batch_size=200)
        result.changed, result.cards = len(counts) + len(changed) + len(carded), len(carded)
    snapshots_record([m for m in counts + changed + carded if m.status == HubModel.Status.OK])
    result.missing = [m.pk for m in tracked.values() if m.status != HubModel.Status.NOT_FOUND]
    return result


def _counts_write(rows: list[HubModel]) -> None:
    """Store new like and download counts: the common refresh, so one statement on PostgreSQL
    (Django's bulk_update builds a CASE per row and field)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        HubModel.objects.bulk_update(rows, ["likes", "downloads", "fetched_at"], batch_size=500)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE hubsync_hubmodel AS h SET likes = v.likes, downloads = v.downloads, fetched_at = %s"
            " FROM unnest(%s::bigint[], %s::integer[], %s::bigint[]) AS v(id, likes, downloads) WHERE h.id = v.id",
            [rows[0].fetched_at, [m.pk for m in rows], [m.likes for m in rows], [m.downloads for m in rows]],
        )


@dataclass
class RefreshPlan:
    owners: list[tuple[str, str]]  # (repo_type, author) refreshed by listing
    singles: list[int]  # HubModel ids refreshed one by one


def refresh_plan(*, listing_min: int = AUTHOR_LISTING_MIN) -> RefreshPlan:
    """Split the tracked repositories into owners worth one listing and the rest."""
    by_owner: dict[tuple[str, str], list[int]] = {}
    for pk, repo_type, repo_id in HubModel.objects.values_list("pk", "repo_type", "repo_id").order_by("pk"):
        owner = repo_id.partition("/")[0] if "/" in repo_id else ""
        by_owner.setdefault((repo_type, owner), []).append(pk)
    owners, singles = [], []
    for (repo_type, owner), pks in by_owner.items():
        if owner and len(pks) >= listing_min:
            owners.append((repo_type, owner))
        else:
            singles.extend(pks)
    return RefreshPlan(owners, singles)


# --- Bundled snapshot -----------------------------------------------------------------------------
def snapshot_load(path: Path = SNAPSHOT_PATH, *, today: date | None = None) -> list[HubModel]:
    """Store the bundled metadata of real public repositories, so the demo needs no network.
    Idempotent: a repository already stored is updated to the snapshot's figures."""
    data = json.loads(path.read_text())
    today = today or timezone.localdate()
    loaded = []
    for entry in data["repos"]:
        ref = RepoRef(entry.get("repo_type", "model"), entry["id"])
        info = RepoInfo(
            repo_type=ref.repo_type, repo_id=ref.repo_id, sha=entry["sha"], private=False,
            gated=entry.get("gated", ""), likes=entry["likes"], downloads=entry.get("downloads", 0),
            pipeline_tag=entry.get("pipeline_tag", ""), library_name=entry.get("library_name", ""),
            tags=entry.get("tags", []), card_data=entry.get("cardData", {}),
            last_modified=datetime.fromisoformat(entry["lastModified"]) if entry.get("lastModified") else None,
        )
        hub_model, _ = HubModel.objects.get_or_create(repo_type=ref.repo_type, repo_id=ref.repo_id)
        for name, value in _values(info).items():
            setattr(hub_model, name, value)
        _card_apply(hub_model, entry.get("card"), info.sha)
        hub_model.fetched_at = timezone.now()
        hub_model.save()
        # A week of daily counts, rising evenly from the figure a week ago to today's.
        before = entry.get("likes_7d_ago", info.likes)
        rows = [LikeSnapshot(hub_model=hub_model, day=today - timedelta(days=d),
                             likes=round(info.likes - (info.likes - before) * d / 7), downloads=info.downloads)
                for d in range(8)]
        LikeSnapshot.objects.bulk_create(rows, update_conflicts=True, unique_fields=["hub_model", "day"],
                                         update_fields=["likes", "downloads"])
        loaded.append(hub_model)
    return loaded


def webhook_payload_ref(payload) -> RepoRef | None:
    """The repository a Hub webhook is about, or None when the payload does not name one."""
    if not isinstance(payload, dict):
        return None
    repo = payload.get("repo")
    if not isinstance(repo, dict):
        return None
    repo_type, name = repo.get("type"), repo.get("name")
    if repo_type not in ("model", "dataset", "space") or not isinstance(name, str) or not name:
        return None
    return RepoRef(repo_type, name)


def webhook_accept(*, ref: RepoRef) -> bool:
    """Queue a re-sync of `ref` if a project links it; the Hub's payload carries no counts, so
    the re-sync reads them. Returns whether anything was queued."""
    if not HubModel.objects.filter(repo_type=ref.repo_type, repo_id=ref.repo_id).exists():
        return False
    enqueue_on_commit("hubsync.sync_repo", ref.repo_type, ref.repo_id)
    return True
