"""Input refused before any view sees it: NUL bytes (PostgreSQL cannot store them in text, and a
query with one fails as a server error) and bodies over the upload limit, answered with the API's
JSON error shape under /api/ and a short page elsewhere. A value PostgreSQL refuses that got past a
form or schema anyway (a number out of range, a NUL) is a 400 too, never a 500."""

import json
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DataError
from django.http import HttpResponse, JsonResponse

from meetup.lib.errors import Refused

_NUL_ESCAPES = (b"\\u0000", b"\\U0000")


def bad_request(request, error: str, detail: str, *, status: int = 400):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": error, "detail": detail}, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _body_has_nul(request) -> bool:
    content_type = request.content_type or ""
    if content_type.startswith("multipart/"):
        return any(_has_nul(k) or any(_has_nul(v) for v in request.POST.getlist(k)) for k in request.POST)
    body = request.body
    if b"\x00" in body:
        return True
    if any(escape in body for escape in _NUL_ESCAPES):
        try:
            if _has_nul(json.loads(body)):
                return True
        except ValueError:
            pass  # not JSON, or malformed: the view says so
    if content_type == "application/x-www-form-urlencoded":
        return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))
    return False


class RefuseBadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return bad_request(request, "invalid", "The address contains a NUL character.")
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            try:
                if _body_has_nul(request):
                    return bad_request(request, "invalid", "The request contains a NUL character.")
            except RequestDataTooBig:
                return bad_request(request, "too_large", "The request body is too large.", status=413)
            except TooManyFieldsSent:
                return bad_request(request, "invalid", "Too many fields.")
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refused):  # a page that did not expect this refusal
            return bad_request(request, exception.code, exception.detail, status=exception.status)
        if isinstance(exception, DataError):
            return bad_request(request, "invalid", "A value is out of range or not allowed.")
        return None


class PermissionsPolicyMiddleware:
    """The camera only on the door page (its QR scanner); no microphone or location anywhere."""

    CAMERA_PAGES = frozenset({"door"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        camera = "(self)" if match is not None and match.url_name in self.CAMERA_PAGES else "()"
        response.setdefault("Permissions-Policy", f"camera={camera}, microphone=(), geolocation=()")
        return response
