"""The program's part in a person's rights over their data (registered in apps.py): their
applications (as applicant or team member) and their scorecards as a judge in the archive. On
deletion they leave the teams of applications others are on (the application passes to another
member); applications they are alone on are removed when they are drafts or when the person asked
for their content to go, otherwise kept under "Deleted user" so a call's decisions still add up.
Scorecards stay (unlinked from any name) for the same reason."""

from meetup.program.models import Application, Review, TeamMember


def export_applications(user) -> list[dict]:
    applications = (Application.objects.filter(members__user=user).select_related("call")
                    .prefetch_related("projects").distinct().order_by("created_at"))
    return [{"call": a.call.title, "call_slug": a.call.slug, "startup_name": a.startup_name, "pitch": a.pitch,
             "answers": a.answers, "hub_links": a.hub_links, "projects": [p.slug for p in a.projects.all()],
             "status": a.status, "submitted_at": a.submitted_at, "created_by_you": a.created_by_id == user.pk,
             "created_at": a.created_at}
            for a in applications]


def export_reviews(user) -> list[dict]:
    reviews = Review.objects.filter(judge=user).select_related("application__call").prefetch_related(
        "scores__criterion").order_by("created_at")
    return [{"call": r.application.call.title, "application": r.application_id, "comment": r.comment,
             "scores": {s.criterion.name: s.value for s in r.scores.all()}, "created_at": r.created_at}
            for r in reviews]


def erase_program(user, *, keep_content: bool) -> None:
    for membership in TeamMember.objects.filter(user=user).select_related("application"):
        application = membership.application
        others = application.members.exclude(user=user).order_by("id").first()
        if others is not None:
            membership.delete()
            if application.created_by_id == user.pk:
                Application.objects.filter(pk=application.pk).update(created_by=others.user_id)
        elif not keep_content or application.status == Application.Status.DRAFT:
            application.delete()
    for call in user.organised_calls.all():
        if call.organisers.count() > 1:
            call.organisers.remove(user)
