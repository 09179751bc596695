"""The events app's part in a person's rights over their data (registered in apps.py): their RSVPs
and tickets in the archive; on deletion their RSVPs to events still to come are cancelled through
`rsvp_cancel`, so each freed seat promotes the waitlist in order, and they leave the teams they
were on; their answers to registration questions are in the archive and go with the account;
deletion waits while they are the only organiser of an event still to come; retention removes the
phone numbers of people whose last event ended more than RETENTION_DAYS ago, and the answers given
to events that ended that long ago."""

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from meetup.accounts.models import ConsentRecord, User
from meetup.accounts.services import profile_update
from meetup.events.models import RSVP, Answer, Event, Invitation
from meetup.events.services import rsvp_cancel
from meetup.events.tickets import event_url


def _rsvp_row(rsvp: RSVP) -> dict:
    event = rsvp.event
    return {"event": event.title, "event_slug": event.slug, "event_url": event_url(event),
            "starts_at": event.starts_at, "ends_at": event.ends_at, "status": rsvp.status,
            "created_at": rsvp.created_at, "promoted_at": rsvp.promoted_at, "checked_in_at": rsvp.checked_in_at,
            "cancelled_at": rsvp.cancelled_at}


def export_rsvps(user) -> list[dict]:
    return [_rsvp_row(r) for r in RSVP.objects.filter(user=user).select_related("event").order_by("created_at")]


def export_tickets(user) -> list[dict]:
    rsvps = RSVP.objects.filter(user=user, status=RSVP.Status.GOING).select_related("event").order_by("created_at")
    return [{"event": r.event.title, "event_slug": r.event.slug, "starts_at": r.event.starts_at,
             "ticket_code": r.ticket_code, "checked_in_at": r.checked_in_at} for r in rsvps]


def export_team(user) -> list[dict]:
    rows = [{"event": e.title, "event_slug": e.slug, "role": "organiser"} for e in user.organised_events.all()]
    rows += [{"event": e.title, "event_slug": e.slug, "role": "door"} for e in user.door_events.all()]
    return rows


def _sole_organiser_of(user):
    # Counted over all organisers: filtering on `organisers=user` first would count only that join.
    mine = user.organised_events.filter(ends_at__gt=timezone.now()).exclude(status=Event.Status.CANCELLED)
    return Event.objects.filter(pk__in=mine.values("pk")).annotate(n=Count("organisers")).filter(n=1)


def deletion_blocker(user) -> str | None:
    titles = [e.title for e in _sole_organiser_of(user)[:3]]
    if not titles:
        return None
    return gettext("You are the only organiser of %(titles)s: invite a co-organiser or cancel the event first.") % {
        "titles": ", ".join(f"“{t}”" for t in titles)}


def erase_events(user, *, keep_content: bool) -> None:
    now = timezone.now()
    upcoming = RSVP.objects.filter(user=user, event__ends_at__gt=now,
                                   status__in=[RSVP.Status.GOING, RSVP.Status.WAITLISTED]).select_related("event")
    for rsvp in upcoming:
        rsvp_cancel(event=rsvp.event, user=user)
    user.organised_events.clear()
    user.door_events.clear()
    if user.email:
        Invitation.objects.filter(email__iexact=user.email).delete()


def shred_phones(cutoff) -> int:
    """Phone numbers of people whose every RSVP is to an event that ended before `cutoff` and who
    have not signed in since: the number (and the SMS consent that came with it) goes."""
    stale = (User.objects.filter(phone__isnull=False, deleted_at__isnull=True)
             .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
             .annotate(last_event=Max("rsvps__event__ends_at")).filter(last_event__lt=cutoff))
    shredded = 0
    for user in stale.iterator():
        profile_update(user=user, source=ConsentRecord.Source.RETENTION, phone=None, sms_opt_in=False)
        shredded += 1
    return shredded


def export_answers(user) -> list[dict]:
    answers = (Answer.objects.filter(rsvp__user=user).select_related("question", "rsvp__event")
               .order_by("rsvp__created_at", "question__position", "question_id"))
    return [{"event": a.rsvp.event.title, "event_slug": a.rsvp.event.slug, "question": a.question.label,
             "answer": a.text, "value": a.value, "updated_at": a.updated_at} for a in answers]


def erase_answers(user, *, keep_content: bool) -> None:
    """Answers describe the person (diet, access needs): they go whatever `keep_content` says."""
    Answer.objects.filter(rsvp__user=user).delete()


def shred_answers(cutoff) -> int:
    """Answers given to events that ended before `cutoff`; returns how many were removed."""
    removed, _ = Answer.objects.filter(rsvp__event__ends_at__lt=cutoff).delete()
    return removed
