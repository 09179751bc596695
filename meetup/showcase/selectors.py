"""Reads the pages and the API share."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from hubsync.models import HubModel
from meetup.accounts.roles import can_moderate
from meetup.events.models import Event
from meetup.lib.bounds import bounded_int
from meetup.showcase.models import (
    Collection,
    Comment,
    Like,
    Project,
    ProjectInvitation,
    ProjectLink,
    Report,
    Visibility,
)

SORTS = {
    "trending": ("-trending_score", "-id"),
    "newest": ("-created_at", "-id"),
    "most_liked": ("-like_count", "-id"),
}
SEARCH_CONFIG = "english"


@dataclass
class GalleryFilters:
    q: str = ""
    task: str = ""
    license: str = ""
    library: str = ""
    event: str = ""  # an event's slug
    sort: str = "trending"


def _links():
    return Prefetch("links", queryset=ProjectLink.objects.select_related("hub_model").order_by("position", "id"))


def with_caller(projects: QuerySet[Project], user) -> QuerySet[Project]:
    """Annotate `liked` (whether the caller likes each project) in the same query."""
    if user is not None and user.is_authenticated:
        return projects.annotate(liked=Exists(Like.objects.filter(project=OuterRef("pk"), user=user.pk)))
    return projects


def _search(projects: QuerySet[Project], q: str) -> QuerySet[Project]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # The same expression as the GIN index in migration 0002, so PostgreSQL can use it.
        vector = SearchVector("title", "summary", config=SEARCH_CONFIG)
        return projects.annotate(search=vector).filter(search=SearchQuery(q, config=SEARCH_CONFIG,
                                                                           search_type="websearch"))
    # SQLite (the embedded default): a plain case-insensitive match on either field.
    return projects.filter(Q(title__icontains=q) | Q(summary__icontains=q))


def gallery(filters: GalleryFilters, *, user=None) -> QuerySet[Project]:
    """Visible projects matching the filters, sorted. One query for the page (links prefetched
    in one more), however many projects there are."""
    projects = Project.objects.filter(visibility=Visibility.VISIBLE).select_related("event")
    hub = {}
    if filters.task:
        hub["hub_model__pipeline_tag"] = filters.task
    if filters.license:
        hub["hub_model__license"] = filters.license
    if filters.library:
        hub["hub_model__library_name"] = filters.library
    if hub:
        projects = projects.filter(Exists(ProjectLink.objects.filter(
            project=OuterRef("pk"), status=ProjectLink.Status.LINKED, **hub)))
    if filters.event:
        projects = projects.filter(event__slug=filters.event)
    if filters.q.strip():
        projects = _search(projects, filters.q.strip())
    return with_caller(projects, user).prefetch_related(_links()).order_by(*SORTS.get(filters.sort, SORTS["trending"]))


def gallery_facets() -> dict[str, list[str]]:
    """The values the gallery can filter on: those of linked repositories (one query)."""
    linked = ProjectLink.objects.filter(hub_model=OuterRef("pk"), status=ProjectLink.Status.LINKED)
    rows = (HubModel.objects.filter(Exists(linked), status=HubModel.Status.OK)
            .values_list("pipeline_tag", "license", "library_name").distinct())
    tasks, licenses, libraries = set(), set(), set()
    for task, license_, library in rows:
        tasks.add(task)
        licenses.add(license_)
        libraries.add(library)
    return {"tasks": sorted(tasks - {""}), "licenses": sorted(licenses - {""}), "libraries": sorted(libraries - {""})}


def gallery_events():
    """(slug, title) of events that have projects, newest first."""
    shown = Project.objects.filter(event=OuterRef("pk"), visibility=Visibility.VISIBLE)
    return Event.objects.filter(Exists(shown)).order_by("-starts_at").values_list("slug", "title")


@dataclass
class Page:
    """One page of a listing without a total count: counting 50,000 filtered rows costs more than
    the page itself, and the gallery only needs "is there a next page"."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_of(queryset, number, size: int) -> Page:
    number = bounded_int(number, maximum=100_000) or 1
    start = (number - 1) * size
    rows = list(queryset[start:start + size + 1])
    return Page(rows[:size], number, len(rows) > size)


def project_for(user, slug: str) -> Project | None:
    """The project with `slug` if `user` may see it: a hidden one only for its team and moderators."""
    project = (with_caller(Project.objects.select_related("event", "created_by"), user)
               .prefetch_related(_links(), "team").filter(slug=slug).first())
    if project is None:
        return None
    if project.is_hidden and not (can_moderate(user) or is_team(user, project)):
        return None
    return project


def is_team(user, project: Project) -> bool:
    if not (user and user.is_authenticated):
        return False
    if project.created_by_id == user.pk:
        return True
    cached = getattr(project, "_prefetched_objects_cache", {}).get("team")
    if cached is not None:
        return any(member.pk == user.pk for member in cached)
    return project.team.filter(pk=user.pk).exists()


def comments_for(user, project: Project) -> QuerySet[Comment]:
    comments = Comment.objects.filter(project=project).select_related("author")
    if not can_moderate(user):
        comments = comments.filter(visibility=Visibility.VISIBLE)
    return comments


def collections_of(user) -> QuerySet[Collection]:
    return Collection.objects.filter(owner=user.pk).order_by("name")


def collection_for(user, pk: int) -> Collection | None:
    """A public collection, or a private one to its owner."""
    visible = Q(is_public=True)
    if user is not None and user.is_authenticated:
        visible |= Q(owner=user.pk)
    return Collection.objects.select_related("owner").filter(visible, pk=pk).first()


def collection_projects(collection: Collection, *, user=None) -> QuerySet[Project]:
    projects = Project.objects.filter(pk__in=collection.items.values("project")).select_related("event")
    if not (user is not None and can_moderate(user)):
        projects = projects.filter(visibility=Visibility.VISIBLE)
    return with_caller(projects, user).prefetch_related(_links()).order_by("-like_count", "-id")


def moderation_queue() -> QuerySet[Report]:
    """Open reports, oldest first, with what they are about."""
    return (Report.objects.filter(status=Report.Status.OPEN)
            .select_related("reporter", "project", "comment", "comment__author", "comment__project")
            .order_by("created_at", "id"))


def hidden_content() -> tuple[QuerySet[Project], QuerySet[Comment]]:
    return (Project.objects.filter(visibility=Visibility.HIDDEN).order_by("-updated_at"),
            Comment.objects.filter(visibility=Visibility.HIDDEN).select_related("author", "project")
            .order_by("-created_at"))


def open_reports_for_event(event) -> QuerySet[Report]:
    """Open reports about projects shown at `event` or comments on them (the organiser dashboard)."""
    return (
        Report.objects.filter(Q(project__event=event) | Q(comment__project__event=event), status=Report.Status.OPEN)
        .select_related("project", "comment__project").order_by("created_at")
    )


def invitations_for(user):
    """Pending invitations to project teams addressed to `user`."""
    if not user.is_authenticated:
        return ProjectInvitation.objects.none()
    return (ProjectInvitation.objects.filter(user=user, status=ProjectInvitation.Status.PENDING)
            .select_related("project", "invited_by").order_by("-created_at"))
