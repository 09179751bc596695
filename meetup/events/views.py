from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetup.accounts.roles import is_organiser
from meetup.audit.models import AuditEntry
from meetup.events import access, exports, readcache, selectors, services, signing, sources, tickets
from meetup.events.forms import AnswersForm, AvailabilityForm, CapacityForm, EventForm, RsvpForm, VenueForm
from meetup.events.models import RSVP, CalendarFeed, Event, Venue
from meetup.events.roles import can_manage_event, can_see_contacts
from meetup.lib.bounds import bounded_int
from meetup.lib.errors import Refused
from meetup.lib.forms import add_errors, bind_in_zone
from meetup.lib.limits import refuse_over


def _detail_context(request, event, *, answers_form=None, rsvp=None) -> dict:
    rsvp = rsvp if rsvp is not None else selectors.rsvp_for(request.user, event)
    # Only people signed in see the questions (the RSVP form, their registration).
    questions = selectors.questions_for(event) if request.user.is_authenticated and event.asks_questions else []
    if answers_form is None:
        existing = dict(rsvp.answers.values_list("question_id", "value")) if rsvp and questions else {}
        answers_form = AnswersForm(questions, answers=existing)
    attendees = selectors.attendees_listed(event, request.user, viewer_rsvp=rsvp)
    return {
        "event": event,
        "rsvp": rsvp,
        "position": selectors.waitlist_position(rsvp) if rsvp else None,
        "rsvp_form": RsvpForm(),
        "answers_form": answers_form,
        "visibilities": RSVP.Visibility.choices,
        "attendees": [(selectors.listed_name(r.user), r.user.hub_username) for r in attendees[:500]]
        if attendees is not None else None,
        "can_manage": can_manage_event(request.user, event),
        "now": timezone.now(),
    }


def event_detail(request, slug: str):
    # A visitor with no session sees what every such visitor sees: from the read cache.
    cookieless = readcache.cookieless_visit(request)
    if cookieless and (page := readcache.get("page", slug, get_language())) is not None:
        return readcache.page_response(request, page)
    event = access.visible_event(request, slug)
    # Where the visitor came from and an invitation link are remembered until they RSVP.
    source = sources.source_from(request.GET)
    if source:
        request.session[f"ref:{event.pk}"] = source
    if request.GET.get("invite"):
        request.session[f"invite:{event.pk}"] = request.GET["invite"][:100]
    context = _detail_context(request, event)
    if cookieless and event.status != Event.Status.DRAFT:
        page = render_to_string("events/detail.html", {**context, "csrf_token": readcache.CSRF_PLACEHOLDER},
                                request).encode()
        readcache.keep("page", slug, page, get_language())
        return readcache.page_response(request, page)
    return render(request, "events/detail.html", context)


def event_counts(request, slug: str):
    """The live going / waitlist counter on the event page (polled by htmx): the same for everyone
    who may see the event, so from the read cache unless it is a draft."""
    language = get_language()
    counter = readcache.get("counter", slug, language)
    if counter is None:
        event = access.visible_event(request, slug, caller=False)
        counter = render_to_string("events/_counts.html", {"event": event}, request).encode()
        if event.status != Event.Status.DRAFT:
            readcache.keep("counter", slug, counter, language)
    return HttpResponse(counter)


@login_required
@require_POST
def rsvp_create(request, slug: str):
    event = access.visible_event(request, slug, counts=False)
    form = RsvpForm(request.POST)
    form.is_valid()
    answers_form = AnswersForm(selectors.questions_for(event), request.POST)
    visibility = request.POST.get("visibility", "")
    accepted = form.cleaned_data.get("accept_code_of_conduct", False)
    try:
        rsvp, _unused = services.rsvp_create(
            event=event, user=request.user, accept_code_of_conduct=accepted,
            answers=answers_form.raw(), source=request.session.get(f"ref:{event.pk}", ""),
            invite=request.session.get(f"invite:{event.pk}", ""),
            visibility=visibility if visibility in RSVP.Visibility.values else "")
    except ValidationError as exc:
        answers_form.add_answer_errors(exc)
        messages.error(request, _("Please check your answers below."))
        event = access.visible_event(request, slug)  # the page shows the counts and the venue
        return render(request, "events/detail.html", _detail_context(request, event, answers_form=answers_form),
                      status=400)
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        if rsvp.status == RSVP.Status.GOING:
            messages.success(request, _("You're going! Your ticket is below and in your email."))
        elif rsvp.status == RSVP.Status.REQUESTED:
            messages.info(request, _("Your registration is waiting for the organisers' approval; we'll email you."))
        elif rsvp.status == RSVP.Status.WAITLISTED:
            messages.info(request, _("The event is full: you're on the waitlist. We'll email you if a seat opens."))
    return redirect("event_detail", slug=slug)


@login_required
@require_POST
def rsvp_details(request, slug: str):
    """Change one's answers (until the event starts) and who sees one on the list."""
    event = access.visible_event(request, slug)
    rsvp = selectors.rsvp_for(request.user, event)
    if rsvp is None:
        raise Http404
    questions = selectors.questions_for(event)
    answers_form = AnswersForm(questions, request.POST)
    visibility = request.POST.get("visibility")
    try:
        services.rsvp_details_update(rsvp=rsvp, answers=answers_form.raw() if questions and "answers" in request.POST
                                     else None, visibility=visibility)
    except ValidationError as exc:
        answers_form.add_answer_errors(exc)
        messages.error(request, _("Please check your answers below."))
        return render(request, "events/detail.html",
                      _detail_context(request, event, answers_form=answers_form, rsvp=rsvp), status=400)
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Saved."))
    return redirect("event_detail", slug=slug)


@login_required
@require_POST
def rsvp_cancel(request, slug: str):
    try:
        services.rsvp_cancel(event=access.visible_event(request, slug, counts=False), user=request.user)
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Your RSVP is cancelled. Thanks for freeing the seat."))
    return redirect("event_detail", slug=slug)


def event_ics(request, slug: str):
    event = access.visible_event(request, slug)
    response = HttpResponse(tickets.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@login_required
def my_tickets(request):
    rsvps = list(selectors.tickets_for(request.user))
    for rsvp in rsvps:
        if rsvp.status == RSVP.Status.GOING:
            rsvp.qr = tickets.qr_svg(signing.ticket_code(rsvp))
        else:
            rsvp.position = selectors.waitlist_position(rsvp)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "events/tickets.html", {
        "rsvps": rsvps, "feed_url": tickets.calendar_feed_url(feed) if feed else ""})


# --- Organisers ---------------------------------------------------------------------------------
@login_required
def event_create(request):
    if not is_organiser(request.user):
        raise PermissionDenied
    form, valid, tzname = bind_in_zone(request, EventForm)
    if valid:
        data = {k: v for k, v in form.cleaned_data.items() if k != "slug" or v}
        try:
            event = services.event_create(organiser=request.user, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Event created."))
            return redirect("event_detail", slug=event.slug)
    with timezone.override(tzname):
        return render(request, "events/form.html", {"form": form, "title": _("New event")})


@login_required
def event_edit(request, slug: str):
    event = access.managed_event(request, slug)
    form, valid, tzname = bind_in_zone(request, EventForm, event)
    if valid:
        changes = {k: v for k, v in form.cleaned_data.items() if k not in {"slug", "capacity"}}
        try:
            promoted = services.event_update(event=event, capacity=form.cleaned_data["capacity"], actor=request.user,
                                             **changes)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            note = f" {len(promoted)} promoted from the waitlist." if promoted else ""
            messages.success(request, "Event saved." + note)
            return redirect("event_detail", slug=slug)
    with timezone.override(tzname):
        title = _("Edit %(title)s") % {"title": event.display_title}
        return render(request, "events/form.html", {"form": form, "title": title, "event": event})


@login_required
def rsvp_manage(request, slug: str):
    event = access.managed_event(request, slug)
    status, search, checked_in = (request.GET.get(k, "") for k in ("status", "q", "checked_in"))
    if status not in {"", *RSVP.Status.values}:
        status = ""
    questions = selectors.questions_for(event, include_hidden=True)
    question_id, answer = _answer_filter(request, questions)
    rsvps = selectors.rsvp_list(event, status=status, search=search.strip(), checked_in=checked_in,
                                question_id=question_id, answer=answer)
    page = Paginator(rsvps, 100).get_page(request.GET.get("page"))
    answers = selectors.answers_by_rsvp(r.pk for r in page.object_list)
    for rsvp in page.object_list:
        rsvp.answer_cells = [answers.get(rsvp.pk, {}).get(q.pk, "") for q in questions]
    return render(request, "events/manage_rsvps.html", {
        "event": event, "page": page, "status": status, "q": search, "checked_in": checked_in,
        "statuses": RSVP.Status.choices, "query": request.GET.urlencode(), "questions": questions,
        "question_id": question_id, "answer": answer, "requested": selectors.requested_count(event),
    })


def _answer_filter(request, questions) -> tuple[int | None, str]:
    try:
        question_id = int(request.GET.get("question", ""))
    except ValueError:
        return None, ""
    if question_id not in {q.pk for q in questions}:
        return None, ""
    return question_id, request.GET.get("answer", "").strip()[:200]


@login_required
@require_POST
def rsvps_decide(request, slug: str):
    """Approve or decline the ticked requested RSVPs, with an optional message."""
    event = access.managed_event(request, slug)
    ids = []
    for value in request.POST.getlist("rsvp")[:1000]:
        try:
            ids.append(int(value))
        except ValueError:
            continue
    decision = request.POST.get("decision")
    if not ids or decision not in {"approve", "decline"}:
        messages.error(request, _("Tick at least one registration, then approve or decline."))
    else:
        try:
            outcome = services.rsvps_decide(event=event, rsvp_ids=ids, approve=decision == "approve",
                                            actor=request.user, note=request.POST.get("message", ""))
        except Refused as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("%(going)s going, %(waitlisted)s waitlisted, %(declined)s declined, "
                                        "%(skipped)s already decided.") % {
                "going": outcome["going"], "waitlisted": outcome["waitlisted"], "declined": outcome["declined"],
                "skipped": outcome["skipped"]})
    return redirect(f"{reverse('rsvp_manage', args=[slug])}?{request.POST.get('query', '')}")


@login_required
def rsvp_export(request, slug: str):
    event = access.managed_event(request, slug)
    question_id, answer = _answer_filter(request, selectors.questions_for(event, include_hidden=True))
    return exports.rsvps_csv_response(event, status=request.GET.get("status", ""),
                                      search=request.GET.get("q", "").strip(),
                                      checked_in=request.GET.get("checked_in", ""),
                                      question_id=question_id, answer=answer)


@login_required
def checkin_export(request, slug: str):
    return exports.checkins_csv_response(access.managed_event(request, slug, counts=False))


@login_required
@require_POST
def rsvp_promote(request, slug: str, rsvp_id: int):
    event = access.managed_event(request, slug)
    rsvp = get_object_or_404(RSVP.objects.select_related("user", "event"), pk=rsvp_id, event=event)
    try:
        services.rsvp_promote(rsvp=rsvp, actor=request.user)
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("%(public_name)s is going; their ticket is on its way.") % {
            "public_name": rsvp.user.public_name})
    return redirect(f"{reverse('rsvp_manage', args=[slug])}?{request.POST.get('query', '')}")


@login_required
def capacity_change(request, slug: str):
    event = access.managed_event(request, slug)
    form = CapacityForm(request.POST or request.GET or None, initial={"capacity": event.capacity})
    preview = []
    if form.is_bound and form.is_valid():
        new = form.cleaned_data["capacity"]
        if request.method == "POST":
            promoted = services.capacity_change(event=event, capacity=new, actor=request.user)
            messages.success(request, _("Capacity is now %(new)s; %(count)s promoted from the waitlist.") % {
                "new": format(new, ','), "count": format(len(promoted), ',')})
            return redirect("event_dashboard", slug=slug)
        preview = list(selectors.waitlist_head(event, new - event.going_count))
    return render(request, "events/capacity.html", {"event": event, "form": form, "preview": preview})


@login_required
def door(request, slug: str):
    event = access.door_event(request, slug)
    return render(request, "events/door.html", {"event": event, "counts": selectors.checkin_counts(event)})


def door_service_worker(request):
    """The door's service worker, served from the site root so it may control /events/<slug>/door/."""
    response = render(request, "events/door-sw.js", content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def door_manifest(request, slug: str):
    """Web app manifest: the door page installs as an app on a phone or tablet."""
    event = access.visible_event(request, slug, counts=False)
    return render(request, "events/door.webmanifest", {"event": event}, content_type="application/manifest+json")


@login_required
def door_counts(request, slug: str):
    event = access.door_event(request, slug)
    return render(request, "events/_door_counts.html", {"event": event, "counts": selectors.checkin_counts(event)})


@login_required
def door_search(request, slug: str):
    event = access.door_event(request, slug)
    q = request.GET.get("q", "").strip()[:100]
    refuse_over("door-search", request.user.pk)
    rsvps = list(selectors.door_search(event, q)[:20]) if len(q) >= 2 else []
    shown = selectors.checkin_answers(event, [r.pk for r in rsvps])
    for rsvp in rsvps:
        rsvp.checkin_answers = shown.get(rsvp.pk, [])
    return render(request, "events/_door_search.html", {
        "event": event, "rsvps": rsvps, "q": q, "show_contacts": can_see_contacts(request.user, event)})


@login_required
@require_POST
def door_checkin(request, slug: str):
    """Check in from the door page: a typed or scanned code, or a person found by name."""
    event = access.door_event(request, slug, counts=False)
    code = request.POST.get("code", "")
    if request.POST.get("rsvp"):
        rsvp_id = bounded_int(request.POST["rsvp"])
        code = RSVP.objects.filter(event=event, pk=rsvp_id).values_list("ticket_code", flat=True).first()
    result = services.checkin(event=event, code=code or "", actor=request.user)
    shown = selectors.checkin_answers(event, [result.rsvp.pk]).get(result.rsvp.pk, []) if result.rsvp else []
    if request.headers.get("HX-Request"):
        return render(request, "events/_door_result.html", {"event": event, "result": result, "shown": shown})
    # Without JavaScript the whole door page comes back with the result on it.
    return render(request, "events/door.html", {"event": event, "counts": selectors.checkin_counts(event),
                                                "result": result, "shown": shown})


# --- Venues -------------------------------------------------------------------------------------
def _organiser_only(request):
    if not is_organiser(request.user):
        raise PermissionDenied


@login_required
def venue_list(request):
    """The catalogue, or with a time range, the venues free then that fit, smallest first."""
    _organiser_only(request)
    form = AvailabilityForm(request.GET or None)
    venues = Venue.objects.order_by("capacity_standing", "name")
    searching = form.is_bound and form.is_valid()
    if searching:
        data = form.cleaned_data
        venues = selectors.venues_available(starts_at=data["starts_at"], ends_at=data["ends_at"],
                                            min_capacity=data["min_capacity"] or 0)
    return render(request, "events/venues.html", {"form": form, "venues": venues, "searching": searching})


@login_required
def venue_create(request):
    _organiser_only(request)
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.venue_create(**form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s added.") % {"name": venue.name})
            return redirect("venue_detail", slug=venue.slug)
    return render(request, "events/form.html", {"form": form, "title": _("New venue")})


@login_required
def venue_detail(request, slug: str):
    _organiser_only(request)
    venue = get_object_or_404(Venue, slug=slug)
    return render(request, "events/venue.html", {"venue": venue,
                                                 "bookings": selectors.venue_bookings(venue, request.user)})


@login_required
def dashboard_counts(request, slug: str):
    """The dashboard's live counters (htmx polls them)."""
    event = access.managed_event(request, slug)
    return render(request, "events/_dashboard_counts.html", {
        "event": event, "counts": selectors.checkin_counts(event)})


@login_required
def venue_move(request, slug: str, venue_slug: str):
    """Confirm, then move the event to another venue in one step."""
    event = access.managed_event(request, slug)
    venue = get_object_or_404(Venue, slug=venue_slug)
    form = CapacityForm(request.POST or None, initial={"capacity": venue.capacity_standing})
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.venue_move(event=event, venue=venue, capacity=form.cleaned_data["capacity"],
                                           created_by=request.user)
        except Refused as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("%(title)s is now at %(name)s; %(count)s promoted from the waitlist, and every "
                                        "ticket still works.") % {
                "title": event.title, "name": venue.name, "count": format(len(promoted), ',')})
            return redirect("event_dashboard", slug=slug)
    return render(request, "events/move.html", {
        "event": event, "venue": venue, "form": form,
        "would_promote": min(event.waitlist_count, max(0, venue.capacity_standing - event.going_count)),
    })


@login_required
def audit_log(request, slug: str):
    """Who did what and when for one event, newest first; its organisers only."""
    event = access.managed_event(request, slug, counts=False)
    entries = AuditEntry.objects.filter(event=event)
    action = request.GET.get("action", "")
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/event_log.html", {
        "event": event, "page": page, "actions": AuditEntry.Action.choices, "action": action})
