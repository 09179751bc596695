from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetup.accounts.roles import can_moderate
from meetup.events import access as event_access
from meetup.lib.errors import Refused
from meetup.lib.forms import add_errors
from meetup.lib.redirects import redirect_next
from meetup.showcase import access, exports, selectors, services
from meetup.showcase.forms import CollectionForm, CommentForm, ProjectForm, ReportForm
from meetup.showcase.models import Comment, Project, ProjectInvitation, Report

PAGE_SIZE = 24


def _refused(request, exc: Refused, *, back: str):
    """A refusal as a message on the page the person came from; too many requests as a 429."""
    if exc.status == 429:
        return render(request, "showcase/refused.html", {"detail": exc.detail, "back": back}, status=429)
    messages.error(request, exc.detail)
    return redirect(back)


def _moderators_only(request):
    if not can_moderate(request.user):
        return render(request, "showcase/refused.html", {
            "title": _("Not allowed"), "detail": _("Only moderators and organisers can do this."),
            "back": reverse("gallery")}, status=403)
    return None


# --- Gallery and projects -------------------------------------------------------------------------
def gallery(request):
    filters = selectors.GalleryFilters(**{k: request.GET.get(k, "").strip()[:100] for k in
                                          ("q", "task", "license", "library", "event", "sort")})
    if filters.sort not in selectors.SORTS:
        filters.sort = "trending"
    page = selectors.page_of(selectors.gallery(filters, user=request.user), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "showcase/gallery.html", {
        "page": page, "filters": filters, "facets": selectors.gallery_facets(), "query": query.urlencode(),
        "events": selectors.gallery_events(),
        "sorts": [("trending", _("Trending")), ("newest", _("Newest")), ("most_liked", _("Most liked"))],
    })


def project_detail(request, slug: str):
    project = access.visible_project(request, slug)
    user = request.user
    return render(request, "showcase/detail.html", {
        "project": project,
        "links": list(project.links.all()),
        "comments": selectors.comments_for(user, project),
        "comment_form": CommentForm(),
        "report_form": ReportForm(),
        "can_edit": selectors.is_team(user, project) or user.is_staff,
        "can_moderate": can_moderate(user),
        "collections": selectors.collections_of(user) if user.is_authenticated else [],
    })


@login_required
def project_create(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(user=request.user, **form.service_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Project published. Its Hub links are being looked up."))
            return redirect("project_detail", slug=project.slug)
    return render(request, "showcase/form.html", {"form": form, "title": _("Show your project")})


@login_required
def project_edit(request, slug: str):
    project = access.editable_project(request, slug)
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(project))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Project saved."))
            return redirect("project_detail", slug=project.slug)
    return render(request, "showcase/form.html", {"form": form, "title": _("Edit %(title)s") % {"title": project.title},
                                                  "project": project})


@require_POST
def like(request, slug: str):
    """Toggle the caller's like; htmx swaps the button, a plain form post goes back to the page."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={reverse('project_detail', args=[slug])}")
    project = access.visible_project(request, slug)
    liked, _unused = services.like_toggle(project=project, user=request.user)
    project.liked = liked
    if request.headers.get("HX-Request"):
        return render(request, "showcase/_like.html", {"project": project})
    return redirect_next(request, reverse("project_detail", args=[slug]))


# --- Comments -------------------------------------------------------------------------------------
@login_required
@require_POST
def comment_create(request, slug: str):
    project = access.visible_project(request, slug)
    back = reverse("project_detail", args=[slug]) + "#comments"
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment (up to 5,000 characters) first."))
        return redirect(back)
    try:
        services.comment_create(project=project, author=request.user, body=form.cleaned_data["body"])
    except Refused as exc:
        return _refused(request, exc, back=back)
    return redirect(back)


@login_required
def comment_edit(request, comment_id: int):
    comment = access.visible_comment(request, comment_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(comment=comment, user=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_errors(form, exc)
        except Refused as exc:
            return _refused(request, exc, back=reverse("project_detail", args=[comment.project.slug]))
        else:
            return redirect(reverse("project_detail", args=[comment.project.slug]) + f"#comment-{comment.pk}")
    return render(request, "showcase/form.html", {"form": form, "title": _("Edit your comment"),
                                                  "project": comment.project})


@login_required
@require_POST
def comment_delete(request, comment_id: int):
    comment = access.visible_comment(request, comment_id)
    services.comment_delete(comment=comment, user=request.user)
    messages.success(request, _("Comment deleted."))
    return redirect(reverse("project_detail", args=[comment.project.slug]) + "#comments")


# --- Reports --------------------------------------------------------------------------------------
def _report(request, *, project: Project, comment: Comment | None = None):
    back = reverse("project_detail", args=[project.slug])
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason for the report."))
        return redirect(back)
    try:
        services.report_create(reporter=request.user, project=None if comment else project, comment=comment,
                               **form.cleaned_data)
    except Refused as exc:
        return _refused(request, exc, back=back)
    messages.success(request, _("Thanks: moderators will look at it, and we'll email you what they decide."))
    return redirect(back)


@login_required
@require_POST
def report_project(request, slug: str):
    return _report(request, project=access.visible_project(request, slug))


@login_required
@require_POST
def report_comment(request, comment_id: int):
    comment = access.visible_comment(request, comment_id)
    return _report(request, project=comment.project, comment=comment)


# --- Collections ----------------------------------------------------------------------------------
@login_required
def collection_list(request):
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Collection “%(name)s” created.") % {"name": collection.name})
            return redirect("collection_detail", pk=collection.pk)
    return render(request, "showcase/collections.html", {
        "collections": selectors.collections_of(request.user), "form": form})


def collection_detail(request, pk: int):
    collection = access.visible_collection(request, pk)
    return render(request, "showcase/collection.html", {
        "collection": collection, "projects": selectors.collection_projects(collection, user=request.user),
        "is_owner": collection.owner_id == request.user.pk})


@login_required
@require_POST
def collection_delete(request, pk: int):
    collection = access.owned_collection(request, pk)
    services.collection_delete(collection=collection, user=request.user)
    messages.success(request, _("Collection deleted."))
    return redirect("collection_list")


@login_required
@require_POST
def collect(request, slug: str):
    project = access.visible_project(request, slug)
    choice = request.POST.get("collection", "")
    collection = access.owned_collection(request, int(choice) if choice.isdigit() else 0)
    added = services.collection_add(collection=collection, project=project, user=request.user)
    message = _("Added to “%(name)s”.") if added else _("Already in “%(name)s”.")
    messages.success(request, message % {"name": collection.name})
    return redirect("project_detail", slug=slug)


@login_required
@require_POST
def collection_remove(request, pk: int, slug: str):
    collection = access.owned_collection(request, pk)
    project = get_object_or_404(Project, slug=slug)
    services.collection_remove(collection=collection, project=project, user=request.user)
    return redirect("collection_detail", pk=pk)


# --- Moderation -----------------------------------------------------------------------------------
@login_required
def moderation_queue(request):
    if denied := _moderators_only(request):
        return denied
    hidden_projects, hidden_comments = selectors.hidden_content()
    return render(request, "showcase/moderation.html", {
        "reports": selectors.moderation_queue(), "hidden_projects": hidden_projects[:50],
        "hidden_comments": hidden_comments[:50]})


def _target(kind: str, key: str):
    if kind == "projects":
        return {"project": get_object_or_404(Project, slug=key)}
    if kind == "comments" and key.isdigit():
        return {"comment": get_object_or_404(Comment, pk=int(key))}
    raise PermissionDenied


@login_required
@require_POST
def moderate(request, kind: str, key: str, action: str):
    """Hide or restore a project or comment (moderators)."""
    if denied := _moderators_only(request):
        return denied
    target = _target(kind, key)
    if action == "hide":
        closed = services.content_hide(moderator=request.user, **target)
        messages.success(request, _("Hidden; %(count)s report(s) closed and their reporters told.") % {
            "count": len(closed)})
    else:
        services.content_restore(moderator=request.user, **target)
        messages.success(request, _("Restored: visible again."))
    return redirect_next(request, reverse("moderation_queue"))


@login_required
@require_POST
def report_dismiss(request, report_id: int):
    if denied := _moderators_only(request):
        return denied
    report = get_object_or_404(Report, pk=report_id)
    services.report_dismiss(moderator=request.user, report=report)
    messages.success(request, _("Report dismissed; the reporter is told."))
    return redirect("moderation_queue")


@login_required
def project_export(request, slug: str):
    """The projects shown at an event, as CSV: the event's organisers only."""
    return exports.projects_csv_response(event_access.managed_event(request, slug, counts=False))


# --- Team invitations ----------------------------------------------------------------------------
@login_required
def invitations(request):
    """Invitations to project teams for the caller, to accept or decline."""
    return render(request, "showcase/invitations.html", {"invitations": selectors.invitations_for(request.user)})


@login_required
@require_POST
def invitation_answer(request, pk: int, action: str):
    try:
        invitation = services.project_invitation_respond(
            invitation=ProjectInvitation(pk=pk), user=request.user, accept=action == "accept")
    except Refused as exc:
        messages.error(request, exc.detail)
        return redirect("project_invitations")
    if action == "accept":
        messages.success(request, _("You joined the team."))
        return redirect("project_detail", slug=invitation.project.slug)
    messages.success(request, _("Invitation declined."))
    return redirect("project_invitations")
