"""The showcase's spreadsheet exports (streamed, formula-safe)."""

from meetup.lib.csv import streaming_csv
from meetup.showcase.models import Project


def projects_csv_response(event):
    """The projects shown at the event, with their Hub links and likes."""
    rows = (
        Project.objects.filter(event=event).order_by("created_at", "id")
        .values_list("title", "slug", "created_by__username", "visibility", "like_count", "repository_url",
                     "demo_url", "created_at")
        .iterator(chunk_size=2000)
    )
    return streaming_csv(f"{event.slug}-projects.csv", ["title", "slug", "created_by", "visibility", "likes",
                                                        "repository_url", "demo_url", "created_at"], rows)
