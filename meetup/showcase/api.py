from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictStr

from meetup.accounts.auth import public
from meetup.events.models import Event
from meetup.lib.bounds import Id
from meetup.showcase import access, selectors, services
from meetup.showcase.models import Collection, Project, ProjectInvitation

router = Router(tags=["projects"])


class HubModelOut(Schema):
    repo_type: str
    repo_id: str
    sha: str
    likes: int
    downloads: int
    pipeline_tag: str
    library_name: str
    license: str
    datasets: list[str]
    base_models: list[str]
    gated: bool
    last_modified: datetime | None
    fetched_at: datetime | None
    card_missing: list[str]

    @staticmethod
    def resolve_gated(obj) -> bool:
        return bool(obj.gated)


class LinkOut(Schema):
    requested: str
    repo_type: str
    status: str = Field(..., description="pending, linked or not_found")
    hub: HubModelOut | None = None

    @staticmethod
    def resolve_requested(obj) -> str:
        return obj.requested_id

    @staticmethod
    def resolve_hub(obj):
        return obj.hub_model if obj.status == "linked" else None


class ProjectOut(Schema):
    slug: str
    title: str
    summary: str
    event: str | None
    like_count: int
    liked: bool | None = Field(None, description="whether the caller likes it (null when anonymous)")
    trending_score: float
    created_at: datetime
    links: list[LinkOut]

    @staticmethod
    def resolve_event(obj) -> str | None:
        return obj.event.slug if obj.event_id else None

    @staticmethod
    def resolve_liked(obj):
        return getattr(obj, "liked", None)

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())


class ProjectDetailOut(ProjectOut):
    description: str
    repository_url: str
    demo_url: str
    team: list[str]
    hidden: bool

    @staticmethod
    def resolve_team(obj) -> list[str]:
        return [member.username for member in obj.team.all()]

    @staticmethod
    def resolve_hidden(obj) -> bool:
        return obj.is_hidden


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


class ProjectFilter(Schema):
    model_config = ConfigDict(extra="forbid")

    q: str = Field("", max_length=200, description="full-text search over title and summary")
    task: str = Field("", max_length=64, description="a pipeline tag, e.g. text-generation")
    license: str = Field("", max_length=64)
    library: str = Field("", max_length=64)
    event: str = Field("", max_length=120, description="an event's slug")
    sort: Literal["trending", "newest", "most_liked"] = "trending"
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(24, ge=1, le=100)


class ProjectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: StrictStr = Field(..., min_length=1, max_length=120)
    summary: StrictStr = Field(..., min_length=1, max_length=280)
    description: StrictStr = Field("", max_length=50_000)
    repository_url: StrictStr = ""
    demo_url: StrictStr = ""
    event: StrictStr | None = Field(None, description="an event's slug")
    team: list[StrictStr] = Field(default_factory=list, max_length=12,
                                  description="usernames to invite (they join once they accept); you are on it")
    hub_links: list[StrictStr] = Field(default_factory=list, max_length=5,
                                       description="Hub ids or URLs: `org/name`, `datasets/org/name`, links")


class LikeOut(Schema):
    liked: bool
    like_count: int


class CollectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: StrictStr = Field(..., min_length=1, max_length=80)
    description: StrictStr = Field("", max_length=280)
    is_public: StrictBool = False


class CollectionOut(Schema):
    id: int
    name: str
    description: str
    is_public: bool
    owner: str
    projects: list[str] = Field(..., description="project slugs, most liked first")

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner.username

    @staticmethod
    def resolve_projects(obj) -> list[str]:
        return getattr(obj, "project_slugs", [])


class CollectionItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: StrictStr = Field(..., description="a project's slug")


def _event(slug: str | None) -> Event | None:
    if not slug:
        return None
    event = Event.objects.filter(slug=slug, status=Event.Status.PUBLISHED).first()
    if event is None:
        raise ValidationError({"event": [_("No published event with slug %(slug)r.") % {"slug": slug}]})
    return event


def _collection_out(request, collection: Collection) -> Collection:
    collection.project_slugs = list(selectors.collection_projects(collection, user=request.user)
                                    .values_list("slug", flat=True))
    return collection


class ProjectInvitationOut(Schema):
    id: int
    project: str
    title: str
    invited_by: str | None

    @staticmethod
    def resolve_project(obj):
        return obj.project.slug

    @staticmethod
    def resolve_title(obj):
        return obj.project.title

    @staticmethod
    def resolve_invited_by(obj):
        return obj.invited_by.public_name if obj.invited_by else None


class InvitationAnswerOut(Schema):
    id: int
    status: str


@router.get("/project-invitations", response=list[ProjectInvitationOut],
            summary="Invitations to project teams for you")
def invitation_list(request):
    return list(selectors.invitations_for(request.user))


@router.post("/project-invitations/{int:pk}/{action}", response=InvitationAnswerOut,
             summary="Accept or decline an invitation to a project's team")
def invitation_answer(request, pk: Id, action: Literal["accept", "decline"]):
    return services.project_invitation_respond(invitation=ProjectInvitation(pk=pk), user=request.user,
                                               accept=action == "accept")


@router.get("/projects", response=ProjectPage, auth=public, summary="The project gallery")
def project_list(request, filters: Query[ProjectFilter]):
    projects = selectors.gallery(selectors.GalleryFilters(
        q=filters.q, task=filters.task, license=filters.license, library=filters.library, event=filters.event,
        sort=filters.sort), user=request.user)
    start = (filters.page - 1) * filters.page_size
    return ProjectPage(count=projects.count(), items=list(projects[start:start + filters.page_size]))


@router.post("/projects", response={201: ProjectDetailOut}, summary="Show a project")
def project_create(request, payload: ProjectIn):
    data = payload.model_dump()
    data["event"] = _event(data["event"])
    project = services.project_create(user=request.user, **data)
    return 201, access.visible_project(request, project.slug)


@router.get("/projects/{slug}", response=ProjectDetailOut, auth=public, summary="One project with its Hub links")
def project_detail(request, slug: str):
    return access.visible_project(request, slug)


@router.post("/projects/{slug}/like", response=LikeOut, summary="Toggle your like")
def like_toggle(request, slug: str):
    liked, count = services.like_toggle(project=access.visible_project(request, slug), user=request.user)
    return LikeOut(liked=liked, like_count=count)


@router.put("/projects/{slug}/like", response=LikeOut, summary="Like (repeating it changes nothing)")
def like_put(request, slug: str):
    liked, count = services.like_set(project=access.visible_project(request, slug), user=request.user, liked=True)
    return LikeOut(liked=liked, like_count=count)


@router.delete("/projects/{slug}/like", response=LikeOut, summary="Unlike")
def like_delete(request, slug: str):
    liked, count = services.like_set(project=access.visible_project(request, slug), user=request.user, liked=False)
    return LikeOut(liked=liked, like_count=count)


@router.get("/collections", response=list[CollectionOut], summary="Your collections")
def collection_list(request):
    return [_collection_out(request, c) for c in selectors.collections_of(request.user).select_related("owner")]


@router.post("/collections", response={201: CollectionOut}, summary="Make a collection")
def collection_create(request, payload: CollectionIn):
    collection = services.collection_create(owner=request.user, **payload.model_dump())
    return 201, _collection_out(request, collection)


@router.get("/collections/{int:pk}", response=CollectionOut, auth=public,
            summary="A public collection, or one of yours")
def collection_detail(request, pk: Id):
    return _collection_out(request, access.visible_collection(request, pk))


@router.post("/collections/{int:pk}/projects", response={200: CollectionOut, 201: CollectionOut},
             summary="Add a project to your collection")
def collection_add(request, pk: Id, payload: CollectionItemIn):
    collection = access.owned_collection(request, pk)
    project = selectors.project_for(request.user, payload.project)
    if project is None:
        raise ValidationError({"project": [_("No project with slug %(slug)r.") % {"slug": payload.project}]})
    added = services.collection_add(collection=collection, project=project, user=request.user)
    return (201 if added else 200), _collection_out(request, collection)


@router.delete("/collections/{int:pk}/projects/{slug}", response=CollectionOut,
               summary="Remove a project from your collection")
def collection_remove(request, pk: Id, slug: str):
    collection = access.owned_collection(request, pk)
    project = Project.objects.filter(slug=slug).first()
    if project is None or not services.collection_remove(collection=collection, project=project, user=request.user):
        raise Http404(_("That project is not in this collection."))
    return _collection_out(request, collection)
