"""Every request gets an id: the one the proxy in front sent in X-Request-ID, or a new one. It is in
every log line written while the request runs and goes back in the response's X-Request-ID."""

import re
import uuid

from meetup.lib.logs import request_id

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        rid = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = rid
        return response
