from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from meetup.audit.models import AuditEntry
from meetup.events import access


@login_required
def event_audit_log(request, slug: str):
    """Who did what and when for one event, newest first; its organisers only."""
    event = access.managed_event(request, slug, counts=False)
    entries = AuditEntry.objects.filter(event=event)
    action = request.GET.get("action", "")
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/event_log.html", {
        "event": event, "page": page, "actions": AuditEntry.Action.choices, "action": action})
