"""What every API router shares: the error shape (token auth is accounts/auth.py). Details are in the
language of the request (Accept-Language, through LocaleMiddleware); the codes never change."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from meetup.lib.errors import Refused


def _error(api: NinjaAPI, request, status: int, error: str, detail: str, **extra):
    return api.create_response(request, {"error": error, "detail": detail, **extra}, status=status)


def _field_name(loc) -> str:
    # Locations look like ("body", "payload", "phone") or ("query", "page"); keep the field part.
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "header")]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Refused)
    def refused(request, exc: Refused):
        return _error(api, request, exc.status, exc.code, exc.detail)

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            msg = err.get("msg") or _("Invalid value")
            if err.get("type") == "extra_forbidden":
                msg = _("Unknown field.")
            fields.setdefault(_field_name(err.get("loc", ())), []).append(msg)
        detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        return _error(api, request, 400, "invalid", detail, fields=fields)

    @api.exception_handler(DjangoValidationError)
    def invalid_value(request, exc: DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages}
        detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        return _error(api, request, 400, "invalid", detail, fields=fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _error(api, request, 401, "unauthorized",
                      _("Send 'Authorization: Bearer <token>'; get a token from your profile page."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return _error(api, request, 403, "forbidden", str(exc) or _("You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(api, request, 404, "not_found", str(exc) or _("No such thing."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 429: "rate_limited"}.get(exc.status_code, "error")
        return _error(api, request, exc.status_code, code, str(exc))
