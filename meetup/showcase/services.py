"""Every write of the showcase: projects and their Hub links, likes, comments, collections,
reports and moderation."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hubsync.client import RepoRef, parse_ref
from hubsync.models import HubModel
from hubsync.services import repo_sync
from meetup.accounts.roles import can_moderate
from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record
from meetup.lib.dispatch import enqueue_on_commit
from meetup.lib.errors import Refused
from meetup.lib.invitations import pending_for
from meetup.lib.limits import refuse_over
from meetup.lib.slugs import unique_slug
from meetup.showcase import limits, signals, trending
from meetup.showcase.models import (
    Collection,
    CollectionItem,
    Comment,
    Like,
    Project,
    ProjectInvitation,
    ProjectLink,
    Report,
    Visibility,
)

MAX_LINKS = 5
MAX_TEAM = 12
# A repository looked up this recently is linked without asking the Hub again.
FRESH_FOR = timedelta(minutes=10)


def _unique_slug(title: str) -> str:
    return unique_slug(Project, title, fallback="project", max_length=120)


def hub_refs_parse(values, *, limit: int = MAX_LINKS) -> list[RepoRef]:
    """Hub repositories from ids or URLs, de-duplicated in order; ValidationError on `hub_links`."""
    refs, errors = [], []
    for value in values:
        if not str(value).strip():
            continue
        try:
            ref = parse_ref(str(value))
        except ValueError as exc:
            errors.append(str(exc))
            continue
        if ref not in refs:
            refs.append(ref)
    if len(refs) > limit:
        errors.append(_("Link at most %(limit)s Hub repositories.") % {"limit": limit})
    if errors:
        raise ValidationError({"hub_links": errors})
    return refs


def _team(usernames) -> list:
    names = [n.strip().lstrip("@") for n in usernames if n and n.strip()]
    if len(names) > MAX_TEAM:
        raise ValidationError({"team": [_("At most %(count)s team members.") % {"count": MAX_TEAM}]})
    users = list(get_user_model().objects.filter(username__in=names, is_active=True))
    unknown = sorted(set(names) - {u.username for u in users})
    if unknown:
        raise ValidationError({"team": [_("No member with the username %(names)s.") % {"names": ", ".join(unknown)}]})
    return users


def _validated(project: Project) -> None:
    try:
        project.full_clean(exclude=["created_by", "slug"] if not project.slug else ["created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def project_create(*, user, title: str, summary: str, description: str = "", repository_url: str = "",
                   demo_url: str = "", event=None, team=(), hub_links=()) -> Project:
    """A new project by `user` (its first team member); its Hub links start pending and are
    looked up by a worker once this commits. Raises ValidationError keyed by field."""
    refs = hub_refs_parse(hub_links)
    members = _team(team)
    project = Project(title=title, summary=summary, description=description, repository_url=repository_url,
                      demo_url=demo_url, event=event, created_by=user)
    _validated(project)
    with transaction.atomic():
        limits.limit_hit("projects", user.pk, limits.PROJECTS)
        project.slug = _unique_slug(title)
        project.save()
        project.team.set([user])
        _team_invite(project, members, actor=user)
        _links_set(project, refs)
    return project


EDITABLE = {"title", "summary", "description", "repository_url", "demo_url", "event"}


def _team_invite(project: Project, people, *, actor) -> None:
    """Invite `people` not yet on the team nor invited; they join when they accept."""
    have = set(project.team.values_list("pk", flat=True)) | set(
        project.invitations.filter(status=ProjectInvitation.Status.PENDING).values_list("user_id", flat=True))
    new = [p for p in people if p.pk not in have]
    if not new:
        return
    refuse_over("team-invite", actor.pk, n=len(new))
    invitations = ProjectInvitation.objects.bulk_create([
        ProjectInvitation(project=project, user=p, invited_by=actor) for p in new])
    signals.project_invitations_created.send(sender=ProjectInvitation, invitation_ids=[i.pk for i in invitations])


def _team_change(project: Project, people, *, actor) -> None:
    """Make `people` (besides the creator) the team: those no longer listed leave it (or lose their
    invitation), those newly listed are invited."""
    wanted = {p.pk for p in people} | {project.created_by_id}
    project.team.remove(*[u for u in project.team.all() if u.pk not in wanted])
    project.invitations.filter(status=ProjectInvitation.Status.PENDING).exclude(user_id__in=wanted).update(
        status=ProjectInvitation.Status.REVOKED, responded_at=timezone.now())
    _team_invite(project, [p for p in people if p.pk != project.created_by_id], actor=actor)


def project_invitation_respond(*, invitation: ProjectInvitation, user, accept: bool) -> ProjectInvitation:
    """Accept or decline an invitation to a project's team, as the person invited."""
    with transaction.atomic():
        locked = pending_for(ProjectInvitation.objects.select_related("project"), pk=invitation.pk, user=user)
        if accept:
            if locked.project.team.count() >= MAX_TEAM:
                raise Refused("team_full", _("This team has %(max_team)s members already.") % {"max_team": MAX_TEAM})
            locked.project.team.add(user)
        locked.status = ProjectInvitation.Status.ACCEPTED if accept else ProjectInvitation.Status.DECLINED
        locked.responded_at = timezone.now()
        locked.save(update_fields=["status", "responded_at"])
    return locked


def project_update(*, project: Project, team=None, hub_links=None, actor=None, **changes) -> Project:
    """Change a project's details, team (usernames) and Hub links (ids or URLs)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    refs = hub_refs_parse(hub_links) if hub_links is not None else None
    members = _team(team) if team is not None else None
    for name, value in changes.items():
        setattr(project, name, value)
    _validated(project)
    with transaction.atomic():
        project.save()
        if members is not None:
            _team_change(project, members, actor=actor or project.created_by)
        if refs is not None:
            _links_set(project, refs)
    return project


def _links_set(project: Project, refs: list[RepoRef]) -> None:
    existing = {(link.repo_type, link.requested_id): link for link in project.links.all()}
    wanted = {(ref.repo_type, ref.repo_id) for ref in refs}
    project.links.filter(pk__in=[link.pk for key, link in existing.items() if key not in wanted]).delete()
    for position, ref in enumerate(refs):
        link = existing.get((ref.repo_type, ref.repo_id))
        if link is None:
            link = ProjectLink.objects.create(project=project, repo_type=ref.repo_type, requested_id=ref.repo_id,
                                              position=position)
            enqueue_on_commit("showcase.resolve_link", link.pk)
        elif link.position != position:
            ProjectLink.objects.filter(pk=link.pk).update(position=position)


def link_resolve(*, link: ProjectLink, client=None) -> ProjectLink:
    """Look the link's repository up on the Hub (or reuse a fresh look-up) and settle the link:
    linked to the canonical repository, or not found. Raises RateLimited and HubError."""
    ref = RepoRef(link.repo_type, link.requested_id)
    hub_model = HubModel.objects.filter(repo_type=ref.repo_type, repo_id=ref.repo_id,
                                        fetched_at__gte=timezone.now() - FRESH_FOR).first()
    if hub_model is None:
        hub_model = repo_sync(ref=ref, client=client)
    status = ProjectLink.Status.LINKED if hub_model.status == HubModel.Status.OK else ProjectLink.Status.NOT_FOUND
    ProjectLink.objects.filter(pk=link.pk).update(hub_model=hub_model, status=status)
    link.hub_model, link.status = hub_model, status
    return link


# --- Likes ----------------------------------------------------------------------------------------
def like_set(*, project: Project, user, liked: bool) -> tuple[bool, int]:
    """Like or unlike; repeating either changes nothing. The Like row (one per user, by a unique
    constraint) and `like_count` change in one transaction, the count by a relative update, so
    racing requests never lose or double a like. Returns (liked, like_count)."""
    limits.limit_hit("likes", user.pk, limits.LIKES)
    with transaction.atomic():
        if liked:
            try:
                with transaction.atomic():
                    Like.objects.create(project=project, user=user)
                delta = 1
            except IntegrityError:
                delta = 0  # already liked
        else:
            delta = -Like.objects.filter(project=project, user=user).delete()[0]
        if delta:
            Project.objects.filter(pk=project.pk).update(like_count=F("like_count") + delta)
        count = Project.objects.filter(pk=project.pk).values_list("like_count", flat=True).get()
    project.like_count = count
    return liked, count


def like_toggle(*, project: Project, user) -> tuple[bool, int]:
    liked = Like.objects.filter(project=project, user=user).exists()
    return like_set(project=project, user=user, liked=not liked)


# --- Comments -------------------------------------------------------------------------------------
def _body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    if len(body) > 5000:
        raise ValidationError({"body": [_("Keep comments under 5,000 characters.")]})
    return body


def comment_create(*, project: Project, author, body: str) -> Comment:
    """A comment (Markdown, sanitised when shown). Rate limited per author."""
    body = _body(body)
    if project.is_hidden:
        raise Refused("hidden", _("This project is hidden by moderators."), status=403)
    limits.limit_hit("comments", author.pk, limits.COMMENTS)
    return Comment.objects.create(project=project, author=author, body=body)


def comment_update(*, comment: Comment, user, body: str) -> Comment:
    if comment.author_id != user.pk:
        raise PermissionDenied(_("Only its author can edit a comment."))
    limits.limit_hit("edits", user.pk, limits.COMMENT_EDITS)
    comment.body, comment.edited_at = _body(body), timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def comment_delete(*, comment: Comment, user) -> None:
    if comment.author_id != user.pk:
        raise PermissionDenied(_("Only its author can delete a comment."))
    comment.delete()


# --- Collections ----------------------------------------------------------------------------------
def collection_create(*, owner, name: str, description: str = "", is_public: bool = False) -> Collection:
    collection = Collection(owner=owner, name=(name or "").strip(), description=description, is_public=is_public)
    try:
        collection.full_clean(exclude=["owner"], validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    try:
        with transaction.atomic():
            collection.save()
    except IntegrityError:
        raise ValidationError({"name": [_("You already have a collection with this name.")]}) from None
    return collection


def _own(collection: Collection, user) -> None:
    if collection.owner_id != user.pk:
        raise PermissionDenied(_("Only its owner can change a collection."))


def collection_delete(*, collection: Collection, user) -> None:
    _own(collection, user)
    collection.delete()


def collection_add(*, collection: Collection, project: Project, user) -> bool:
    """Add a project; adding it again changes nothing. Returns whether it was added."""
    _own(collection, user)
    _unused, created = CollectionItem.objects.get_or_create(collection=collection, project=project)
    return created


def collection_remove(*, collection: Collection, project: Project, user) -> bool:
    _own(collection, user)
    return CollectionItem.objects.filter(collection=collection, project=project).delete()[0] > 0


# --- Reports and moderation -----------------------------------------------------------------------
def report_create(*, reporter, reason: str, details: str = "", project: Project | None = None,
                  comment: Comment | None = None) -> Report:
    """Ask moderators to look at a project or comment. Reporting the same thing again while the
    first report is open returns that report. Rate limited per reporter."""
    if (project is None) == (comment is None):
        raise ValueError("Report exactly one project or one comment.")
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": [_("Choose one of: %(reasons)s.") % {
            "reasons": ", ".join(Report.Reason.values)}]})
    if len(details or "") > 2000:
        raise ValidationError({"details": [_("Keep it under 2,000 characters.")]})
    open_report = Report.objects.filter(reporter=reporter, project=project, comment=comment,
                                        status=Report.Status.OPEN).first()
    if open_report:
        return open_report
    limits.limit_hit("reports", reporter.pk, limits.REPORTS)
    return Report.objects.create(reporter=reporter, project=project, comment=comment, reason=reason,
                                 details=(details or "").strip())


def _moderator(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied(_("Only moderators can do this."))


def _close_reports(reports, *, status: str, moderator) -> list[int]:
    """Close the open reports; each reporter is owed the outcome (signals.reports_closed)."""
    ids = list(reports.filter(status=Report.Status.OPEN).values_list("pk", flat=True))
    Report.objects.filter(pk__in=ids).update(status=status, resolved_by=moderator, resolved_at=timezone.now())
    if ids:
        signals.reports_closed.send(sender=Report, report_ids=ids)
    return ids


def content_hide(*, moderator, project: Project | None = None, comment: Comment | None = None) -> list[int]:
    """Hide a project or comment from everyone but moderators (and a project's team); every open
    report about it is closed and its reporter told. Returns the closed reports' ids."""
    _moderator(moderator)
    target = project or comment
    with transaction.atomic():
        type(target).objects.filter(pk=target.pk).update(visibility=Visibility.HIDDEN)
        target.visibility = Visibility.HIDDEN
        reports = Report.objects.filter(project=target) if project else Report.objects.filter(comment=target)
        closed = _close_reports(reports, status=Report.Status.HIDDEN, moderator=moderator)
        _audit(moderator, "Hid", project=project, comment=comment, reports=closed)
        return closed


def _audit(moderator, verb: str, *, project=None, comment=None, **detail) -> None:
    target_project = project or comment.project
    what = f"the project “{target_project.title}”" if project else f"a comment on “{target_project.title}”"
    audit_record(actor=moderator, action=AuditEntry.Action.MODERATION, event=target_project.event,
                 summary=f"{verb} {what}", project=target_project.pk, comment=comment.pk if comment else None,
                 **detail)


def content_restore(*, moderator, project: Project | None = None, comment: Comment | None = None) -> None:
    """Show a hidden project or comment again."""
    _moderator(moderator)
    target = project or comment
    with transaction.atomic():
        type(target).objects.filter(pk=target.pk).update(visibility=Visibility.VISIBLE)
        target.visibility = Visibility.VISIBLE
        _audit(moderator, "Restored", project=project, comment=comment)


def report_dismiss(*, moderator, report: Report) -> bool:
    """Close a report with no action; its reporter is told. False if it was already closed."""
    _moderator(moderator)
    with transaction.atomic():
        closed = bool(_close_reports(Report.objects.filter(pk=report.pk), status=Report.Status.DISMISSED,
                                     moderator=moderator))
        if closed:
            _audit(moderator, "Dismissed a report about", project=report.project, comment=report.comment,
                   report=report.pk)
        return closed


# --- Trending -------------------------------------------------------------------------------------
def trending_recompute(*, now=None) -> int:
    """Store every project's trending score (trending.py); writes only scores that changed.
    Returns how many changed."""
    now = now or timezone.now()
    fresh = {pk: round(score, 6) for pk, score in trending.scores(now).items()}
    stale = dict(Project.objects.exclude(trending_score=0).values_list("pk", "trending_score"))
    changed = [Project(pk=pk, trending_score=fresh.get(pk, 0.0))
               for pk in set(fresh) | set(stale) if fresh.get(pk, 0.0) != stale.get(pk, 0.0)]
    Project.objects.bulk_update(changed, ["trending_score"], batch_size=1000)
    return len(changed)
