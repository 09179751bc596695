import hmac
import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hubsync.services import webhook_accept, webhook_payload_ref


def _error(status: int, error: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": error, "detail": detail}, status=status)


@csrf_exempt
@require_POST
def hub_webhook(request):
    """A Hub webhook: the secret arrives verbatim in X-Webhook-Secret. Answers at once; the re-sync
    runs on a worker after this transaction commits."""
    expected = settings.HUB_WEBHOOK_SECRET
    given = request.headers.get("X-Webhook-Secret")
    if not given:
        return _error(401, "unauthorized", "Send the webhook secret in X-Webhook-Secret.")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return _error(403, "forbidden", "Wrong webhook secret.")
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "invalid", "The body is not JSON.")
    ref = webhook_payload_ref(payload)
    if ref is None:
        return _error(400, "invalid", "Expected a Hub webhook payload with repo.type and repo.name.")
    queued = webhook_accept(ref=ref)
    return JsonResponse({"status": "queued" if queued else "ignored", "repo": str(ref)}, status=202)
