"""What comes in from outside: Twilio's delivery reports and replies (signed), and one-click
unsubscribe links (RFC 8058: no login, no CSRF token, a POST from the mail client)."""

import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from meetup.accounts.models import ConsentRecord, User
from meetup.broadcasts import inbound, services
from meetup.broadcasts import render as message_render
from meetup.broadcasts.models import Delivery

logger = logging.getLogger(__name__)


def _forged(request) -> bool:
    """True unless X-Twilio-Signature matches the public URL Twilio called and the form it sent."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not (signature and settings.TWILIO_AUTH_TOKEN):
        return True
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    return not RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature)


def _refused():
    return JsonResponse({"error": "forbidden", "detail": "The X-Twilio-Signature header is missing or wrong."},
                        status=403)


@csrf_exempt
@require_POST
def twilio_status(request):
    if _forged(request):
        return _refused()
    sid, status = request.POST.get("MessageSid", ""), request.POST.get("MessageStatus", "")
    code = request.POST.get("ErrorCode", "")
    services.delivery_report(channel=Delivery.Channel.SMS, provider_id=sid, provider_status=status,
                             error=f"Twilio error {code}" if code else "")
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request):
    """STOP and its synonyms opt out, START opts back in, HELP explains; replies are TwiML."""
    if _forged(request):
        return _refused()
    reply = inbound.sms_keyword_handle(sender=request.POST.get("From", ""), body=request.POST.get("Body", ""))
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return HttpResponse(str(response), content_type="text/xml")


@csrf_exempt
def unsubscribe(request, token: str):
    """GET shows a confirmation page; POST (the button, or a mail client's one-click) opts out."""
    user_id = message_render.unsubscribe_user_id(token)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return render(request, "broadcasts/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        services.email_unsubscribe(
            user=user, source=ConsentRecord.Source.UNSUBSCRIBE_LINK,
            wording="List-Unsubscribe=One-Click" if one_click else "Unsubscribe button on the unsubscribe page",
        )
        if one_click:
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        return render(request, "broadcasts/unsubscribe.html",
                      {"done": True, "address": message_render.masked_address(user.email)})
    # Nothing about the link's owner but their address, masked: whoever opens it is not signed in as them.
    return render(request, "broadcasts/unsubscribe.html", {"address": message_render.masked_address(user.email)})
