from meetup.events import selectors
from meetup.events.models import Event
from meetup.lib.csv import safe_cell, streaming_csv

RSVP_COLUMNS = ["username", "display_name", "email", "phone", "status", "created_at", "promoted_at",
                "checked_in_at", "cancelled_at"]


def rsvps_csv_response(event: Event, *, status: str = "", search: str = "", checked_in: str = "",
                       question_id: int | None = None, answer: str = ""):
    """All of an event's RSVPs in arrival order, streamed in chunks (fine at 50,000 rows), with
    where each came from and one column per registration question. Question labels and answers
    are people's text: every cell, headers included, goes through lib.csv's formula guard."""
    questions = selectors.questions_for(event, include_hidden=True)
    rows = (
        selectors.rsvp_list(event, status=status, search=search, checked_in=checked_in, question_id=question_id,
                            answer=answer)
        .values_list("id", "user__username", "user__display_name", "user__email", "user__phone", "status",
                     "created_at", "promoted_at", "checked_in_at", "cancelled_at", "source")
        .iterator(chunk_size=2000)
    )
    header = [*RSVP_COLUMNS, "source", *(safe_cell(f"{q.label} (#{q.pk})") for q in questions)]
    return streaming_csv(f"{event.slug}-rsvps.csv", header, _with_answers(rows, [q.pk for q in questions]))


def _with_answers(rows, question_ids: list[int], chunk: int = 2000):
    """Each row (its id dropped) followed by its answers, fetched one chunk of RSVPs at a time."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == chunk:
            yield from _answer_rows(batch, question_ids)
            batch = []
    yield from _answer_rows(batch, question_ids)


def _answer_rows(batch, question_ids):
    answers = selectors.answers_by_rsvp(row[0] for row in batch) if question_ids and batch else {}
    for row in batch:
        given = answers.get(row[0], {})
        yield [*row[1:], *(given.get(qid, "") for qid in question_ids)]


def checkins_csv_response(event: Event):
    """Who came, in the order they came through the door."""
    rows = (
        event.rsvps.filter(checked_in_at__isnull=False).order_by("checked_in_at", "id")
        .values_list("checked_in_at", "user__username", "user__display_name", "user__email", "ticket_code")
        .iterator(chunk_size=2000)
    )
    return streaming_csv(f"{event.slug}-checkins.csv", ["checked_in_at", "username", "display_name", "email",
                                                        "ticket_code"], rows)
