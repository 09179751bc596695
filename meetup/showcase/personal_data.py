"""The showcase's part in a person's rights over their data (registered in apps.py): their projects,
comments, likes, collections and reports in the archive. On deletion their likes are withdrawn
through `like_set` (so like counts stay exact), their collections go, they leave project teams, and
their comments and the projects they made alone either stay under "Deleted user" or go, as they
chose."""

from django.db.models import Count

from meetup.showcase.models import Collection, Comment, Like, Project, Report
from meetup.showcase.services import like_set


def export_projects(user) -> list[dict]:
    projects = (Project.objects.filter(created_by=user) | Project.objects.filter(team=user)).distinct()
    return [{"title": p.title, "slug": p.slug, "summary": p.summary, "description": p.description,
             "repository_url": p.repository_url, "demo_url": p.demo_url, "visibility": p.visibility,
             "created_by_you": p.created_by_id == user.pk, "like_count": p.like_count,
             "hub_links": [link.requested_id for link in p.links.all()], "created_at": p.created_at}
            for p in projects.prefetch_related("links").order_by("created_at")]


def export_comments(user) -> list[dict]:
    return [{"project": c.project.slug, "body": c.body, "visibility": c.visibility, "created_at": c.created_at,
             "edited_at": c.edited_at}
            for c in Comment.objects.filter(author=user).select_related("project").order_by("created_at")]


def export_likes(user) -> list[dict]:
    return list(Like.objects.filter(user=user).order_by("created_at").values("project__slug", "created_at"))


def export_collections(user) -> list[dict]:
    return [{"name": c.name, "description": c.description, "is_public": c.is_public, "created_at": c.created_at,
             "projects": [item.project.slug for item in c.items.select_related("project")]}
            for c in Collection.objects.filter(owner=user).order_by("created_at")]


def export_reports(user) -> list[dict]:
    return [{"project": r.project.slug if r.project_id else None, "comment": r.comment_id, "reason": r.reason,
             "details": r.details, "status": r.status, "created_at": r.created_at}
            for r in Report.objects.filter(reporter=user).select_related("project").order_by("created_at")]


def erase_showcase(user, *, keep_content: bool) -> None:
    for like in Like.objects.filter(user=user).select_related("project"):
        like_set(project=like.project, user=user, liked=False)
    Collection.objects.filter(owner=user).delete()
    # Reports are the moderators' record; what the reporter wrote about it goes with them.
    Report.objects.filter(reporter=user).update(details="")
    for project in Project.objects.filter(team=user):
        project.team.remove(user)
    solo = Project.objects.filter(created_by=user).annotate(others=Count("team")).filter(others=0)
    if not keep_content:
        Comment.objects.filter(author=user).delete()
        solo.delete()
