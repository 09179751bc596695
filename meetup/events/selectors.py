"""Reads of the events app that pages and the API share: event lists and details with their
counts, RSVPs and waitlist positions, tickets, venue availability, the forecast, check-in counts.

Invariant 7 lives with the callers: contact data is only read where events.roles allows it."""

import hashlib
from datetime import timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from meetup.events import forecast, signing
from meetup.events.models import (
    RSVP,
    Answer,
    Booking,
    CapacityShard,
    Entrance,
    Event,
    Offer,
    Question,
    Reconfirmation,
    Scan,
    Venue,
)
from meetup.events.roles import can_manage_event


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Going (the sum of the seat shards, O(1) in RSVPs) and waitlist counts, in the same query."""
    going = (
        CapacityShard.objects.filter(event=OuterRef("pk")).values("event")
        .annotate(n=Sum("taken")).values("n")
    )
    waiting = (
        RSVP.objects.filter(event=OuterRef("pk"), status=RSVP.Status.WAITLISTED).values("event")
        .annotate(n=Count("id")).values("n")
    )
    return events.annotate(
        going_count=Coalesce(Subquery(going, output_field=IntegerField()), 0),
        waitlist_count=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
    )


def event_list_upcoming() -> QuerySet[Event]:
    """Published events that have not ended, with their counts (one query)."""
    return _with_counts(
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now()).select_related("venue")
    )


def event_list_for(user) -> QuerySet[Event]:
    """What the API lists: published and cancelled events, plus drafts the caller organises."""
    events = Event.objects.select_related("venue")
    if not (user.is_authenticated and user.is_staff):
        visible = Q(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        if user.is_authenticated:
            visible |= Q(pk__in=user.organised_events.values("pk"))
        events = events.filter(visible)
    return _with_counts(events)


def _event_read_sql(*, counts: bool, caller: bool, door: bool) -> str:
    """The one statement behind event_visible_to, written out rather than built by the ORM: on the
    surge's reads, building and compiling the equivalent queryset cost three times running it.
    Every event column (so nothing is deferred), the venue's columns under `venue__`, and the
    optional parts in the same statement. Parameters: the caller's id once per caller part, then
    the slug."""
    venue = ", ".join(f'v."{field.column}" AS "venue__{field.column}"' for field in Venue._meta.concrete_fields)
    parts = ["e.*", venue]
    if counts:
        parts.append(f"""COALESCE((SELECT SUM(s.taken) FROM {CapacityShard._meta.db_table} s
                                  WHERE s.event_id = e.id), 0) AS going_count""")
        parts.append(f"""(SELECT COUNT(*) FROM {RSVP._meta.db_table} r
                         WHERE r.event_id = e.id AND r.status = '{RSVP.Status.WAITLISTED}') AS waitlist_count""")
    if caller:
        parts.append(f"""EXISTS(SELECT 1 FROM {Event.organisers.through._meta.db_table} o
                               WHERE o.event_id = e.id AND o.user_id = %s) AS caller_organises""")
        if door:
            parts.append(f"""EXISTS(SELECT 1 FROM {Event.door_staff.through._meta.db_table} d
                                   WHERE d.event_id = e.id AND d.user_id = %s) AS caller_at_door""")
    return (f"SELECT {', '.join(parts)} FROM {Event._meta.db_table} e "
            f"LEFT JOIN {Venue._meta.db_table} v ON v.id = e.venue_id WHERE e.slug = %s")


_EVENT_READS = {(counts, caller, door): _event_read_sql(counts=counts, caller=caller, door=door)
                for counts in (True, False) for caller in (True, False) for door in (True, False)}
_VENUE_FIELDS = [field.attname for field in Venue._meta.concrete_fields]
_VENUE_COLUMNS = [f"venue__{field.column}" for field in Venue._meta.concrete_fields]


def event_visible_to(user, slug: str, *, counts: bool = True, caller: bool = True, door: bool = False) -> Event | None:
    """The event with `slug` if `user` may see it: drafts only for their organisers and staff.

    One statement: the event with its venue and, unless turned off for a hot path, the going and
    waitlist counts (as _with_counts) and whether the caller organises the event or works its door
    (`caller_organises`, `caller_at_door`, read by roles). `user` is only looked at for a caller
    part or a draft, so a public read of a published event never authenticates a token.
    """
    caller = caller and user.is_authenticated
    params = [user.pk] * (1 + door) if caller else []
    rows = list(Event.objects.raw(_EVENT_READS[counts, caller, caller and door], [*params, slug]))
    if not rows:
        return None
    event = rows[0]
    if event.venue_id is not None:  # the venue's columns are plain text and numbers: no converters
        venue = Venue.from_db(event._state.db, _VENUE_FIELDS, [getattr(event, c) for c in _VENUE_COLUMNS])
        event._state.fields_cache["venue"] = venue
    for column in _VENUE_COLUMNS:
        delattr(event, column)
    if event.status == Event.Status.DRAFT and not can_manage_event(user, event):
        return None
    return event


def rsvp_for(user, event: Event) -> RSVP | None:
    if not user.is_authenticated:
        return None
    return RSVP.objects.filter(event=event, user=user).first()


def waitlist_position(rsvp: RSVP) -> int | None:
    """1 for the head of the waitlist; None when not waitlisted."""
    if rsvp.status != RSVP.Status.WAITLISTED:
        return None
    waiting = RSVP.objects.filter(event_id=rsvp.event_id, status=RSVP.Status.WAITLISTED)
    if rsvp.waitlist_seq is not None:
        # Places follow commit order (capacity.waitlist_place): everyone ahead has committed.
        return waiting.filter(Q(waitlist_seq__lt=rsvp.waitlist_seq)
                              | Q(waitlist_seq__isnull=True, created_at__lt=rsvp.created_at)).count() + 1
    ahead = waiting.filter(
        Q(created_at__lt=rsvp.created_at) | Q(created_at=rsvp.created_at, id__lt=rsvp.id)
    )
    return ahead.count() + 1


def waitlist_head(event: Event, n: int) -> QuerySet[RSVP]:
    """Who a capacity increase of n seats would promote, in order."""
    return (
        RSVP.objects.filter(event=event, status=RSVP.Status.WAITLISTED).select_related("user")
        .order_by("created_at", "id")[: max(0, n)]
    )


def rsvp_list(event: Event, *, status: str = "", search: str = "", checked_in: str = "",
              question_id: int | None = None, answer: str = "") -> QuerySet[RSVP]:
    """RSVPs for the organiser list, export and door search, in arrival order; with `question_id`,
    only those whose answer to it contains `answer` (any answer when `answer` is empty)."""
    rsvps = RSVP.objects.filter(event=event).select_related("user").order_by("created_at", "id")
    if question_id is not None:
        answers = Answer.objects.filter(rsvp=OuterRef("pk"), question_id=question_id, question__event=event)
        if answer:
            answers = answers.filter(text__icontains=answer)
        rsvps = rsvps.filter(Exists(answers))
    if status:
        rsvps = rsvps.filter(status=status)
    if checked_in == "yes":
        rsvps = rsvps.filter(checked_in_at__isnull=False)
    elif checked_in == "no":
        rsvps = rsvps.filter(checked_in_at__isnull=True)
    if search:
        rsvps = rsvps.filter(
            Q(user__display_name__icontains=search) | Q(user__username__icontains=search)
            | Q(user__email__icontains=search) | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
        )
    return rsvps


def venue_bookings(venue, user) -> list:
    """A venue's active bookings from now on, for its page; each has `shown_event`: its event when
    that is published or the caller runs it, else None (a draft's title never leaks)."""
    bookings = list(venue.bookings.filter(ends_at__gte=timezone.now(), status__in=Booking.ACTIVE)
                    .select_related("event").order_by("starts_at"))
    mine = set(Event.objects.filter(organisers=user).values_list("pk", flat=True)) if user.is_authenticated else set()
    for booking in bookings:
        event = booking.event
        visible = event is not None and (event.status != Event.Status.DRAFT or event.pk in mine or user.is_staff)
        booking.shown_event = event if visible else None
    return bookings


def door_search(event: Event, query: str) -> QuerySet[RSVP]:
    """People going to `event` found at the door by name or ticket code, never by email or phone:
    door staff must not be able to confirm an address by typing part of it."""
    return RSVP.objects.filter(event=event, status=RSVP.Status.GOING).select_related("user").filter(
        Q(user__display_name__icontains=query) | Q(user__first_name__icontains=query)
        | Q(user__last_name__icontains=query) | Q(ticket_code__istartswith=query)
    ).order_by("created_at", "id")


def checkin_counts(event: Event) -> dict:
    """Going, checked in (ever) and inside now: one query. `inside` is exact across doors because
    only conditional updates flip it (services/checkin.py, services/door.py)."""
    return RSVP.objects.filter(event=event).aggregate(
        going=Count("id", filter=Q(status=RSVP.Status.GOING)),
        checked_in=Count("id", filter=Q(status=RSVP.Status.GOING, checked_in_at__isnull=False)),
        inside=Count("id", filter=Q(inside=True)),
    )


def entrance_counts(event: Event) -> list[dict]:
    """Per entrance (None: scans with no entrance): admissions, exits and conflicts, from the scan log."""
    rows = (Scan.objects.filter(event=event).values("entrance_id", "entrance__name")
            .annotate(entries=Count("id", filter=Q(outcome=Scan.Outcome.ADMITTED)),
                      exits=Count("id", filter=Q(outcome=Scan.Outcome.EXITED)),
                      conflicts=Count("id", filter=Q(outcome=Scan.Outcome.CONFLICT)))
            .order_by("entrance__name"))
    named = {e.pk: e.name for e in Entrance.objects.filter(event=event)}
    counts = {row["entrance_id"]: row for row in rows}
    result = [{"id": pk, "name": name, "entries": counts.get(pk, {}).get("entries", 0),
               "exits": counts.get(pk, {}).get("exits", 0), "conflicts": counts.get(pk, {}).get("conflicts", 0)}
              for pk, name in named.items()]
    if None in counts:
        row = counts[None]
        result.append({"id": None, "name": "No entrance given", "entries": row["entries"], "exits": row["exits"],
                       "conflicts": row["conflicts"]})
    return result


def scan_conflicts(event: Event, *, limit: int = 50) -> list[dict]:
    """Tickets admitted at two doors while offline: each conflicting scan with the admission kept."""
    conflicts = list(Scan.objects.filter(event=event, outcome=Scan.Outcome.CONFLICT)
                     .select_related("rsvp__user", "entrance").order_by("-scanned_at")[:limit])
    kept = {}
    for scan in Scan.objects.filter(rsvp_id__in={c.rsvp_id for c in conflicts}, outcome=Scan.Outcome.ADMITTED
                                    ).select_related("entrance").order_by("scanned_at"):
        kept.setdefault(scan.rsvp_id, []).append(scan)
    result = []
    for scan in conflicts:
        earlier = [k for k in kept.get(scan.rsvp_id, []) if k.scanned_at <= scan.scanned_at]
        result.append({"scan": scan, "name": scan.rsvp.user.public_name, "kept": earlier[-1] if earlier else None})
    return result


def door_data(event: Event) -> dict:
    """What a door device needs to scan offline: the public key, the tickets of everyone going
    (id, name, a hash of the older plain code, answers shown at check-in), revocations and entrances.

    Plain ticket codes are bearer secrets, so devices get SHA-256 hashes of them, never the codes.
    """
    going = list(RSVP.objects.filter(event=event, status=RSVP.Status.GOING).order_by("pk")
                 .values_list("pk", "ticket_code", "user__display_name", "user__first_name", "user__username",
                              "checked_in_at", "inside"))
    answers = checkin_answers(event, [row[0] for row in going])
    tickets = [{"id": pk, "name": display or first or username,
                "code_hash": signing.b64url(hashlib.sha256(code.encode()).digest()[:16]),
                "answers": [list(pair) for pair in answers.get(pk, [])],
                "checked_in": checked_in_at is not None, "inside": inside}
               for pk, code, display, first, username, checked_in_at, inside in going]
    revoked = list(RSVP.objects.filter(event=event).exclude(status=RSVP.Status.GOING).order_by("pk")
                   .values_list("pk", flat=True))
    return {
        "event": {"id": event.pk, "slug": event.slug, "title": event.title},
        "key": {"alg": "Ed25519", "format": signing.PREFIX,
                "public_key": signing.b64url(signing.public_key_bytes(event))},
        "tickets": tickets,
        "revocations": revoked,
        "entrances": [{"id": e.pk, "name": e.name} for e in Entrance.objects.filter(event=event)],
        "generated_at": timezone.now(),
    }


def tickets_for(user) -> QuerySet[RSVP]:
    """A user's RSVPs to events that have not ended, soonest first."""
    return (
        RSVP.objects.filter(user=user, event__ends_at__gte=timezone.now())
        .exclude(status=RSVP.Status.CANCELLED)
        .select_related("event", "event__venue").order_by("event__starts_at")
    )


def venues_available(*, starts_at, ends_at, min_capacity: int = 0) -> QuerySet[Venue]:
    """Venues with no active booking overlapping the range and room for `min_capacity` standing,
    smallest fitting first (best fit). Holds past their expiry do not count."""
    now = timezone.now()
    clashing = Booking.objects.filter(
        venue=OuterRef("pk"), starts_at__lt=ends_at, ends_at__gt=starts_at,
    ).filter(Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.HELD, hold_expires_at__gt=now))
    return (
        Venue.objects.filter(capacity_standing__gte=min_capacity).exclude(Exists(clashing))
        .order_by("capacity_standing", "name")
    )


def event_capacity_target(event: Event) -> int:
    """The number the forecast is measured against: the venue's standing capacity when there is
    a venue (the room is the real limit), else the event's capacity."""
    return event.venue.capacity_standing if event.venue else event.capacity


def event_forecast(event: Event, *, now=None):
    now = now or timezone.now()
    arrivals = list(RSVP.objects.filter(event=event).exclude(status__in=[RSVP.Status.CANCELLED, RSVP.Status.DECLINED])
                    .values_list("created_at", flat=True))
    past = (
        Event.objects.filter(organisers__in=event.organisers.all(), ends_at__lt=now).exclude(pk=event.pk).distinct()
        .annotate(going=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.GOING)),
                  came=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False)))
        .values_list("going", "came")
    )
    opens = event.rsvp_opens_at or event.created_at
    result = forecast.forecast(arrivals, now=now, opens_at=opens, closes_at=event.rsvp_deadline,
                               show_up=forecast.show_up_from_history(list(past)))
    return _with_reconfirmation(event, result, now)


def _with_reconfirmation(event: Event, result, now):
    """The forecast adjusted by this event's "still coming?" answers (see forecast.with_answers)."""
    from meetup.events import forecast

    here = Reconfirmation.objects.filter(event=event, rsvp__status=RSVP.Status.GOING).aggregate(
        yes=Count("id", filter=Q(answer=Reconfirmation.Answer.YES)), silent=Count("id", filter=Q(answer="")))
    if not (here["yes"] or here["silent"]):
        return result
    past = Reconfirmation.objects.filter(
        event__organisers__in=event.organisers.all(), event__ends_at__lt=now, rsvp__status=RSVP.Status.GOING,
    ).exclude(event=event).filter(
        Exists(RSVP.objects.filter(event=OuterRef("event"), checked_in_at__isnull=False))
    ).distinct().aggregate(
        yes=Count("id", filter=Q(answer=Reconfirmation.Answer.YES), distinct=True),
        yes_came=Count("id", filter=Q(answer=Reconfirmation.Answer.YES, rsvp__checked_in_at__isnull=False),
                       distinct=True),
        silent=Count("id", filter=Q(answer=""), distinct=True),
        silent_came=Count("id", filter=Q(answer="", rsvp__checked_in_at__isnull=False), distinct=True),
    )
    answers = forecast.answers_show_up(yes=here["yes"], silent=here["silent"], past_yes=(past["yes"], past["yes_came"]),
                                       past_silent=(past["silent"], past["silent_came"]), show_up=result.show_up)
    return forecast.with_answers(result, answers)


def checkins_per_slot(event: Event, *, minutes: int = 10) -> list[tuple]:
    """Check-ins per `minutes` slot from the first to the last, in the event's time zone: how the
    door is flowing. One query; the door admits a few thousand at most."""
    times = sorted(RSVP.objects.filter(event=event, checked_in_at__isnull=False)
                   .values_list("checked_in_at", flat=True).iterator(chunk_size=5000))
    if not times:
        return []
    step = timedelta(minutes=minutes)
    start = times[0].replace(minute=times[0].minute - times[0].minute % minutes, second=0, microsecond=0)
    slots = [0] * (int((times[-1] - start) / step) + 1)
    for moment in times:
        slots[int((moment - start) / step)] += 1
    return [((start + i * step).astimezone(event.tz), n) for i, n in enumerate(slots)]


# --- Registration questions, who's going, calendars ---------------------------------------------
def questions_for(event: Event, *, include_hidden: bool = False) -> list[Question]:
    questions = event.questions.all()
    return list(questions if include_hidden else questions.filter(hidden=False))


def answers_by_rsvp(rsvp_ids, *, checkin_only: bool = False) -> dict[int, dict[int, str]]:
    """{rsvp id: {question id: answer text}} for the given RSVPs (one query)."""
    answers = Answer.objects.filter(rsvp_id__in=list(rsvp_ids))
    if checkin_only:
        answers = answers.filter(question__show_at_checkin=True)
    result: dict[int, dict[int, str]] = {}
    for rsvp_id, question_id, text in answers.values_list("rsvp_id", "question_id", "text"):
        result.setdefault(rsvp_id, {})[question_id] = text
    return result


def checkin_answers(event: Event, rsvp_ids) -> dict[int, list[tuple[str, str]]]:
    """What door staff see beside a name: {rsvp id: [(question label, answer text)]} for the
    event's questions marked "show at check-in", in the questions' order; RSVPs of other events
    and unanswered questions are left out. Two queries whatever the number of RSVPs."""
    if not event.asks_questions:  # the door's hot path pays no query for events that ask nothing
        return {}
    questions = list(event.questions.filter(show_at_checkin=True).values_list("id", "label"))
    if not questions:
        return {}
    texts: dict[int, dict[int, str]] = {}
    rows = Answer.objects.filter(rsvp_id__in=list(rsvp_ids), rsvp__event=event,
                                 question_id__in=[qid for qid, _ in questions])
    for rsvp_id, question_id, text in rows.values_list("rsvp_id", "question_id", "text"):
        texts.setdefault(rsvp_id, {})[question_id] = text
    return {rsvp_id: [(label, answers[qid]) for qid, label in questions if qid in answers]
            for rsvp_id, answers in texts.items()}


def attendees_listed(event: Event, viewer, *, viewer_rsvp: RSVP | None | bool = False) -> QuerySet[RSVP] | None:
    """Who's going, as `viewer` may see it: going RSVPs whose owners chose to be listed publicly,
    or to other attendees when the viewer is going too (or organises the event). None when the
    organisers turned the list off. Only names and Hub handles are meant to be shown from it.
    A caller that has loaded the viewer's RSVP (or knows there is none) passes it: one query less."""
    if not event.show_attendees:
        return None
    levels = [RSVP.Visibility.PUBLIC]
    if viewer_rsvp is not False:
        going = viewer_rsvp is not None and viewer_rsvp.status == RSVP.Status.GOING
    else:
        going = viewer.is_authenticated and RSVP.objects.filter(
            event=event, user=viewer, status=RSVP.Status.GOING).exists()
    if viewer.is_authenticated and (going or can_manage_event(viewer, event)):
        levels.append(RSVP.Visibility.ATTENDEES)
    return (RSVP.objects.filter(event=event, status=RSVP.Status.GOING, visibility__in=levels)
            .select_related("user").order_by("created_at", "id"))


def listed_name(user) -> str:
    """The name shown on who's going: never the username, which may be made from an email address."""
    return user.display_name or user.first_name or "An attendee"


def requested_count(event: Event) -> int:
    return RSVP.objects.filter(event=event, status=RSVP.Status.REQUESTED).count()


def calendar_events_for(user) -> QuerySet[Event]:
    """What a personal calendar feed lists: events the person is going to, from a month back on
    (an event they leave drops out, and calendar apps remove it)."""
    since = timezone.now() - timedelta(days=30)
    return (Event.objects.filter(rsvps__user=user, rsvps__status=RSVP.Status.GOING, ends_at__gte=since)
            .exclude(status=Event.Status.DRAFT).select_related("venue").order_by("starts_at").distinct())


def organiser_public_events(username: str) -> QuerySet[Event] | None:
    """Published (and cancelled) events of the organiser with this username or Hub handle; None
    when nobody by that name organises anything."""
    events = Event.objects.filter(
        Q(organisers__username=username) | Q(organisers__hub_username__iexact=username),
        status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
    ).select_related("venue").order_by("starts_at").distinct()
    return events


def rsvps_by_source(event: Event) -> list[dict]:
    """Registrations per source and per day (in the event's time zone), cancelled ones included:
    [{"source": "newsletter", "total": n, "days": [(date, n), ...]}], biggest source first."""
    rows = (RSVP.objects.filter(event=event).annotate(day=TruncDate("created_at", tzinfo=event.tz))
            .values("source", "day").annotate(n=Count("id")).order_by("day"))
    sources: dict[str, dict] = {}
    for row in rows:
        entry = sources.setdefault(row["source"] or "(direct)", {"source": row["source"] or "(direct)",
                                                                 "total": 0, "days": []})
        entry["total"] += row["n"]
        entry["days"].append((row["day"], row["n"]))
    return sorted(sources.values(), key=lambda e: (-e["total"], e["source"]))
def pending_asks_for(user, *, now=None) -> list[tuple[str, object, object]]:
    """What `user` was asked and has not answered, newest first, as (kind, object, asked at):
    open offers ("offer") and unanswered "still coming?" questions ("reconfirm") for events that
    have not started. A YES or NO text answers the newest (see broadcasts.inbound)."""
    now = now or timezone.now()
    offers = (Offer.objects.select_related("event", "rsvp").filter(
        rsvp__user=user, status=Offer.Status.OPEN, expires_at__gt=now).order_by("-created_at")[:5])
    questions = (Reconfirmation.objects.select_related("event", "rsvp").filter(
        rsvp__user=user, answer="", rsvp__status=RSVP.Status.GOING, event__starts_at__gt=now)
        .order_by("-asked_at")[:5])
    asks = [("offer", o, o.created_at) for o in offers] + [("reconfirm", r, r.asked_at) for r in questions]
    return sorted(asks, key=lambda ask: ask[2], reverse=True)


def offers_of(event: Event, *, status: str = "") -> QuerySet:
    """An event's waitlist offers for its organisers, newest first."""
    offers = Offer.objects.filter(event=event).select_related("rsvp__user").order_by("-created_at", "-id")
    return offers.filter(status=status) if status else offers


def reconfirmation_counts(event: Event) -> dict:
    """Answers to "still coming?" among those still going: yes, no (released), silent."""
    asked = Reconfirmation.objects.filter(event=event)
    return asked.aggregate(
        asked=Count("id"),
        yes=Count("id", filter=Q(answer=Reconfirmation.Answer.YES)),
        no=Count("id", filter=Q(answer=Reconfirmation.Answer.NO)),
        silent=Count("id", filter=Q(answer="", rsvp__status=RSVP.Status.GOING)),
    )
