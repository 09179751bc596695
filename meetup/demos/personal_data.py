"""The demos' part in a person's rights over their data (registered in apps.py): what they typed
into demos goes into their archive, and goes on deletion."""

from meetup.demos.models import DemoRun


def export_demo_runs(user) -> list[dict]:
    return [{"project": r.demo.project.slug, "input": r.input, "output": r.output, "status": r.status,
             "created_at": r.created_at}
            for r in DemoRun.objects.filter(user=user).select_related("demo__project").order_by("created_at")]


def erase_demo_runs(user, *, keep_content: bool) -> None:
    DemoRun.objects.filter(user=user).delete()
