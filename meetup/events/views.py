from django.http import Http404
from django.shortcuts import render

from meetup.events import selectors


def event_detail(request, slug: str):
    event = selectors.event_visible_to(request.user, slug)
    if event is None:
        raise Http404("No such event.")
    return render(request, "events/detail.html", {
        "event": event,
        "rsvp": selectors.rsvp_for(request.user, event),
    })
