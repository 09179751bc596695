from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetup.broadcasts import render as render_message
from meetup.broadcasts import selectors, services
from meetup.broadcasts.exports import deliveries_csv_response
from meetup.broadcasts.forms import BroadcastForm
from meetup.broadcasts.models import Broadcast
from meetup.events import access
from meetup.lib.forms import add_errors


def _draft(form: BroadcastForm, event) -> Broadcast:
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    return Broadcast(
        event=event, kind=data.get("kind") or Broadcast.Kind.ANNOUNCEMENT,
        channels=data.get("channels") or Broadcast.Channels.SMS_OR_EMAIL,
        audience=data.get("audience") or Broadcast.Audience.GOING, subject=data.get("subject", ""),
        body=data.get("body", ""), scheduled_for=data.get("scheduled_for"),
    )


def _preview_context(form: BroadcastForm, event) -> dict:
    form.is_valid()  # the preview shows what it can while the form is incomplete
    draft = _draft(form, event)
    reach = selectors.audience_reach(event=event, audience=draft.audience, channels=draft.channels)
    sample = selectors.sample_recipient(event=event, audience=draft.audience)
    email = None
    if sample and draft.uses_email and draft.body:
        email = render_message.broadcast_email(draft, sample, render_message.event_values(event))
    return {
        "event": event, "draft": draft, "reach": reach, "sample": sample, "email": email,
        "estimate": selectors.compose_estimate(broadcast=draft, reach=reach, sample=sample),
        "sms_rate": settings.SMS_RATE_PER_SECOND,
    }


@login_required
def broadcast_compose(request, slug: str):
    """Compose a blast with a live preview; the list of the event's broadcasts below."""
    event = access.managed_event(request, slug, counts=False)
    form = BroadcastForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            broadcast = services.broadcast_create(event=event, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            scheduled = broadcast.status == Broadcast.Status.SCHEDULED
            messages.success(request, _("Your message is scheduled.") if scheduled
                             else _("Your message is on its way."))
            return redirect("broadcast_detail", broadcast_id=broadcast.pk)
    return render(request, "broadcasts/compose.html", {
        "form": form, "broadcasts": selectors.broadcasts_of(event)[:20], **_preview_context(form, event),
    })


@login_required
@require_POST
def broadcast_preview(request, slug: str):
    """The live preview beside the compose form (htmx)."""
    event = access.managed_event(request, slug, counts=False)
    form = BroadcastForm(request.POST, event=event)
    return render(request, "broadcasts/_preview.html", _preview_context(form, event))


def _managed_broadcast(request, broadcast_id: int) -> Broadcast:
    broadcast = selectors.broadcast_for(request.user, broadcast_id)
    if broadcast is None:
        raise Http404(_("No such broadcast."))
    return broadcast


@login_required
def broadcast_detail(request, broadcast_id: int):
    broadcast = _managed_broadcast(request, broadcast_id)
    return render(request, "broadcasts/detail.html", {
        "broadcast": broadcast, "event": broadcast.event, "counts": selectors.broadcast_counts(broadcast),
        "problems": selectors.delivery_problems(broadcast),
    })


@login_required
def broadcast_progress(request, broadcast_id: int):
    """The live progress bar (htmx polls it while the broadcast is sending)."""
    broadcast = _managed_broadcast(request, broadcast_id)
    return render(request, "broadcasts/_progress.html", {
        "broadcast": broadcast, "counts": selectors.broadcast_counts(broadcast)})


@login_required
@require_POST
def broadcast_cancel(request, broadcast_id: int):
    broadcast = _managed_broadcast(request, broadcast_id)
    if broadcast.cancellable:
        cancelled = services.broadcast_cancel(broadcast=broadcast, actor=request.user)
        messages.success(request, _("Cancelled: %(cancelled)s messages not yet sent will not be.") % {
            "cancelled": format(cancelled, ',')})
    else:
        messages.error(request, _("Only a scheduled or sending broadcast can be cancelled."))
    return redirect("broadcast_detail", broadcast_id=broadcast.pk)


@login_required
def broadcast_report(request, broadcast_id: int):
    """Every delivery with its status and reason, as CSV, streamed."""
    return deliveries_csv_response(_managed_broadcast(request, broadcast_id))
