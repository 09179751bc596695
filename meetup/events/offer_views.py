"""Pages reached from a message's link, no login needed: a waitlist offer (claim or pass, then
the ticket) and "still coming?" (yes or no). GET only shows; a POST from the page's button acts,
so a mail scanner that follows links changes nothing. The organiser's button to ask everyone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetup.events import access, services, tickets
from meetup.events.models import RSVP, Offer
from meetup.lib.errors import Refused


def offer_page(request, token: str):
    offer = services.offer_from_token(token)
    if offer is None:
        return render(request, "events/offer.html", {"invalid": True}, status=404)
    context = {"offer": offer, "event": offer.event, "token": token}
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "decline":
                services.offer_decline(offer=offer, user=request.user)
                context["declined"] = True
            else:
                services.offer_claim(offer=offer, user=request.user)
        except Refused as exc:
            context["refused"] = exc.detail
            return render(request, "events/offer.html", context, status=exc.status)
        offer.refresh_from_db()
    rsvp = RSVP.objects.get(pk=offer.rsvp_id)
    if offer.status == Offer.Status.CLAIMED and rsvp.status == RSVP.Status.GOING:
        context["rsvp"], context["qr"] = rsvp, tickets.qr_svg(rsvp.ticket_code)
    return render(request, "events/offer.html", context)


def reconfirmation_page(request, token: str):
    reconfirmation = services.reconfirmation_from_token(token)
    if reconfirmation is None:
        return render(request, "events/reconfirmation.html", {"invalid": True}, status=404)
    context = {"reconfirmation": reconfirmation, "event": reconfirmation.event,
               "suggested": request.GET.get("coming", "")}
    if request.method == "POST":
        try:
            reconfirmation = services.reconfirmation_answer(
                reconfirmation=reconfirmation, coming=request.POST.get("coming") == "yes", user=request.user)
        except Refused as exc:
            context["refused"] = exc.detail
            return render(request, "events/reconfirmation.html", context, status=exc.status)
        context["reconfirmation"] = reconfirmation
    return render(request, "events/reconfirmation.html", context)


@login_required
@require_POST
def reconfirmations_ask(request, slug: str):
    event = access.managed_event(request, slug)
    try:
        asked = services.reconfirmations_ask(event=event, actor=request.user)
    except Refused as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Asked %(asked)s people going whether they are still coming.") % {
            "asked": format(asked, ',')} if asked else _("Everyone going was already asked."))
    return redirect("event_dashboard", slug=event.slug)
