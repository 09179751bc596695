"""A Twilio-compatible Messages API on loopback, for tests and benchmarks.

It speaks what the official SDK sends and expects: HTTP basic auth with the account SID and
token, a form-encoded POST to /2010-04-01/Accounts/{AccountSid}/Messages.json, a 201 with the
message resource in JSON, and Twilio-shaped errors (`code`, `message`, `status`) with Retry-After
on 429. Failures can be injected; numbers can be marked opted out (error 21610).

Run on its own (benchmarks): python -m tests.fakes.twilio --port 8765
"""

import argparse
import base64
import json
import threading
import time
import uuid
from collections import deque
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token"


def signature(url: str, params: dict, token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature as Twilio computes it, for webhook tests."""
    return RequestValidator(token).compute_signature(url, params)


class FakeTwilio:
    def __init__(self, *, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN, host: str = "127.0.0.1",
                 port: int = 0, record: bool = True):
        self.account_sid, self.auth_token, self.record = account_sid, auth_token, record
        self.messages: list[dict] = []
        self.count = 0
        self.opted_out: set[str] = set()
        self.latency = 0.0  # seconds each send takes, like a real API's round trip
        self._failures: deque = deque()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeTwilio":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status: int, *, times: int = 1, code: int | None = None, retry_after: int | None = None):
        """The next `times` sends answer `status` (429 and 5xx are worth retrying)."""
        with self._lock:
            self._failures.extend([(status, code, retry_after)] * times)

    def to(self, number: str) -> list[dict]:
        with self._lock:
            return [m for m in self.messages if m["To"] == number]

    def _take_failure(self):
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def _accept(self, form: dict) -> dict:
        sid = "SM" + uuid.uuid4().hex
        with self._lock:
            self.count += 1
            if self.record:
                self.messages.append({**form, "sid": sid})
        return {
            "sid": sid, "account_sid": self.account_sid, "to": form.get("To"), "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"), "body": form.get("Body"), "status": "queued",
            "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
            "date_created": formatdate(usegmt=True), "date_updated": formatdate(usegmt=True), "date_sent": None,
            "error_code": None, "error_message": None, "price": None, "price_unit": "USD",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _reply(self, status: int, payload: dict, headers: dict | None = None):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, code: int | None, message: str, headers=None):
                self._reply(status, {"code": code, "message": message, "status": status,
                                     "more_info": f"https://www.twilio.com/docs/errors/{code}"}, headers)

            def do_POST(self):
                if fake.latency:
                    time.sleep(fake.latency)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                expected = "Basic " + base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._error(401, 20003, "Authentication Error - invalid username")
                if self.path != f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json":
                    return self._error(404, 20404, "The requested resource was not found")
                if not form.get("To") or not form.get("Body") or not (form.get("From")
                                                                       or form.get("MessagingServiceSid")):
                    return self._error(400, 21604, "A 'To', 'Body' and 'From' or 'MessagingServiceSid' are required.")
                failure = fake._take_failure()
                if failure:
                    status, code, retry_after = failure
                    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
                    return self._error(status, code or (20429 if status == 429 else 20500), "Injected failure", headers)
                if form["To"] in fake.opted_out:
                    return self._error(400, 21610, "Attempt to send to unsubscribed recipient")
                return self._reply(201, fake._accept(form))

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    fake = FakeTwilio(port=args.port, record=False)
    print(f"Twilio-compatible API on {fake.url}", flush=True)
    fake.server.serve_forever()


if __name__ == "__main__":
    main()
