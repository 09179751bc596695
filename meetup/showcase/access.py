"""Loading showcase things for the caller, as pages and the API both do: 404 when they may not
see it, 403 when they may see it but not change it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from meetup.showcase import selectors
from meetup.showcase.models import Collection, Comment, Project, Visibility


def visible_project(request, slug: str) -> Project:
    project = selectors.project_for(request.user, slug)
    if project is None:
        raise Http404(_("No such project."))
    return project


def editable_project(request, slug: str) -> Project:
    """Its team may edit a project (staff too)."""
    project = visible_project(request, slug)
    if not (selectors.is_team(request.user, project) or request.user.is_staff):
        raise PermissionDenied(_("Only the project's team can change it."))
    return project


def visible_comment(request, comment_id: int) -> Comment:
    comment = Comment.objects.select_related("project", "author").filter(pk=comment_id).first()
    if comment is None or selectors.project_for(request.user, comment.project.slug) is None:
        raise Http404(_("No such comment."))
    if comment.visibility == Visibility.HIDDEN and not selectors.can_moderate(request.user):
        raise Http404(_("No such comment."))
    return comment


def visible_collection(request, pk: int) -> Collection:
    collection = selectors.collection_for(request.user, pk)
    if collection is None:
        raise Http404(_("No such collection."))
    return collection


def owned_collection(request, pk: int) -> Collection:
    collection = visible_collection(request, pk)
    if collection.owner_id != request.user.pk:
        raise PermissionDenied(_("Only its owner can change a collection."))
    return collection
