"""Pages of registration: an event's questions and invitations (organisers), and calendar feeds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetup.events import access, selectors, services, tickets
from meetup.events.forms import InvitesForm, QuestionForm
from meetup.events.models import CalendarFeed, Question
from meetup.lib.errors import Refused
from meetup.lib.forms import add_errors


@login_required
def questions_page(request, slug: str):
    """The event's registration questions (add, edit, hide, delete) and, for approval events,
    the invitations that skip approval."""
    event = access.managed_event(request, slug)
    editing = None
    if request.GET.get("edit", "").isdigit():
        editing = get_object_or_404(Question, pk=int(request.GET["edit"][:18]), event=event)
    if request.method == "POST" and "access_needs" in request.POST:
        try:
            services.question_add_access_needs(event=event)
        except Refused as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("The access needs question is added; door staff see the answers."))
        return redirect("event_questions", slug=slug)
    form = QuestionForm(request.POST or None, instance=editing, prefix="question")
    if request.method == "POST" and form.is_valid():
        try:
            if editing:
                services.question_update(question=Question.objects.get(pk=editing.pk), **form.changes())
            else:
                services.question_create(event=event, **form.changes())
        except ValidationError as exc:
            add_errors(form, exc)
        except Refused as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Question saved."))
            return redirect("event_questions", slug=slug)
    return render(request, "events/questions.html", {
        "event": event, "form": form, "editing": editing, "invites_form": InvitesForm(),
        "questions": selectors.questions_for(event, include_hidden=True),
        "invite_count": event.attendee_invites.count(),
        "invite_url": f"{tickets.event_url(event)}?invite={event.invite_token}" if event.invite_token else "",
    })


@login_required
@require_POST
def question_remove(request, slug: str, question_id: int):
    """Delete a question nobody answered, or hide one that has answers."""
    event = access.managed_event(request, slug, counts=False)
    question = get_object_or_404(Question, pk=question_id, event=event)
    try:
        services.question_delete(question=question)
    except Refused:
        services.question_update(question=question, hidden=True)
        messages.info(request, _("People answered this question, so it is hidden (no longer asked) and its answers "
                                 "kept."))
    else:
        messages.success(request, _("Question deleted."))
    return redirect("event_questions", slug=slug)


@login_required
@require_POST
def invites_add(request, slug: str):
    event = access.managed_event(request, slug, counts=False)
    form = InvitesForm(request.POST)
    if form.is_valid():
        emails = form.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").splitlines()
        try:
            added = services.attendee_invites_add(event=event, emails=emails)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except Refused as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("%(added)s new address(es) invited: they skip approval.") % {"added": added})
    return redirect("event_questions", slug=slug)


@login_required
@require_POST
def invite_link_rotate(request, slug: str):
    services.invite_link_rotate(event=access.managed_event(request, slug, counts=False))
    messages.success(request, _("New invitation link made; the old one no longer skips approval."))
    return redirect("event_questions", slug=slug)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def calendar_feed(request, token: str):
    """A person's subscribable calendar: no login (calendar apps cannot), the secret token is the key."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token[:64]).first() if len(token) <= 64 else None
    if feed is None:
        raise Http404
    return _ics(tickets.events_ics(selectors.calendar_events_for(feed.user), name="My meetups"), "meetups.ics")


def organiser_calendar(request, username: str):
    """The public calendar of an organiser's published events (by username or Hub handle)."""
    events = list(selectors.organiser_public_events(username[:150]))
    if not events:
        raise Http404
    return _ics(tickets.events_ics(events, name=f"Meetups by {username}"), f"{username}.ics")


@login_required
@require_POST
def calendar_feed_create(request):
    services.calendar_feed_get_or_create(user=request.user)
    return redirect("my_tickets")


@login_required
@require_POST
def calendar_feed_revoke(request):
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar feed address no longer works. You can make a new one."))
    return redirect("my_tickets")
