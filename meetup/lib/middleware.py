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


def bad_request(request, error: str, detail: str, *, status: int = 400, fields: dict | None = None):
    if request.path.startswith("/api/"):
        body = {"error": error, "detail": detail}
        if fields:
            body["fields"] = fields
        return JsonResponse(body, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def _nul_at(value, path: str = "") -> str | None:
    """The dotted path of the first key or value holding a NUL ("answers.12"), "" for the top."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return path or "body"
            found = _nul_at(item, here)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_at(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def _body_nul_field(request) -> str | None:
    """Where the body holds a NUL character (a field's name, or "body"); None when it holds none."""
    content_type = request.content_type or ""
    if content_type.startswith("multipart/"):
        for key in request.POST:
            if "\x00" in key or any("\x00" in v for v in request.POST.getlist(key)):
                return key.replace("\x00", "") or "body"
        return None
    body = request.body
    if b"\x00" not in body and not any(escape in body for escape in _NUL_ESCAPES) and not (
            content_type == "application/x-www-form-urlencoded" and b"%00" in body):
        return None
    if content_type == "application/x-www-form-urlencoded":
        return _nul_at({k.replace("\x00", ""): v for k, v in request.POST.lists()}) or "body"
    try:
        found = _nul_at(json.loads(body))
    except ValueError:  # not JSON, or malformed: a raw NUL is refused all the same
        return "body" if b"\x00" in body else None
    return (found or "body") if found is not None else ("body" if b"\x00" in body else None)


class RefuseBadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return bad_request(request, "invalid", "The address contains a NUL character.")
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            try:
                field = _body_nul_field(request)
                if field is not None:
                    return bad_request(request, "invalid", f"{field}: a NUL character is not allowed.",
                                       fields={field: ["A NUL character is not allowed."]})
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
