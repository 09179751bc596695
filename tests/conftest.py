"""Shared personas, real-service fixtures, and the CI rule: in CI a test that needs PostgreSQL,
Redis or Chromium fails when it is missing; elsewhere it skips and says why."""

import os
import shutil
import socket
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings

from tests.factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    # Each xdist worker gets its own Redis database (or a private memory cache), so clearing the
    # cache between tests never touches another worker's rate-limit counters.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = 1 + int(worker.removeprefix("gw") or 0)
    if settings.REDIS_URL:
        url = urlsplit(settings.REDIS_URL)
        settings.CACHES["default"]["LOCATION"] = urlunsplit(url._replace(path=f"/{index}"))
    else:
        settings.CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks queued by the code under test go to an in-process broker; tests about workers start
    # real worker processes on a real broker of their own.
    from meetup.celery import app

    app.conf.broker_url = "memory://"
    app.conf.result_backend = "cache+memory://"
    # Tests render templates without running collectstatic.
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


def _redis_answers() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if item.get_closest_marker("redis") and not _redis_answers():
        _missing("needs Redis: set REDIS_URL=redis://... to a running server")
    if item.get_closest_marker("browser") and not shutil.which("chromium"):
        _missing("needs Chromium at /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language: a page rendered in French, or a message
    built in its recipient's language, must not leave the next test's strings in French."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# --- Personas -------------------------------------------------------------------------------------
@pytest.fixture
def organiser(db):
    from meetup.accounts.services import organiser_grant

    user = UserFactory(username="olivia", email="olivia@example.org", display_name="Olivia Organiser")
    organiser_grant(user=user)
    return user


@pytest.fixture
def attendee(db):
    return UserFactory(username="alice", email="alice@example.org", display_name="Alice")


@pytest.fixture
def stranger(db):
    return UserFactory(username="sam", email="sam@example.org")


@pytest.fixture
def api(client):
    """Call the JSON API as a user: `api(user).get("/api/me")`; `api(None)` sends no token."""
    from meetup.accounts.services import api_token_issue

    class Caller:
        def __init__(self, user):
            self.headers = {}
            if user is not None:
                _, key = api_token_issue(user=user)
                self.headers["Authorization"] = f"Bearer {key}"

        def _send(self, method, path, data=None, raw=None):
            kwargs = {"headers": self.headers}
            if data is not None or raw is not None:
                kwargs.update(data=raw if raw is not None else data, content_type="application/json")
            return getattr(client, method)(path, **kwargs)

        def get(self, path):
            return self._send("get", path)

        def post(self, path, data=None, raw=None):
            return self._send("post", path, data, raw)

        def patch(self, path, data=None, raw=None):
            return self._send("patch", path, data, raw)

        def put(self, path, data=None, raw=None):
            return self._send("put", path, data, raw)

        def delete(self, path):
            return self._send("delete", path)

    return Caller


# --- A real SMTP server ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str):
        return [m for m in self.messages if address in m["To"]]

    def last_text(self, address: str) -> str:
        message = self.to(address)[-1]
        part = message.get_body(preferencelist=("plain",))
        return part.get_content()


@pytest.fixture
def smtp_inbox(settings):
    """An aiosmtpd server on loopback; Django sends through it over SMTP."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


# --- A Twilio-compatible SMS provider ----------------------------------------------------------
@pytest.fixture
def twilio_server(settings):
    """A local Twilio-compatible API; the real `twilio` SDK talks to it through TWILIO_API_URL."""
    from meetup.broadcasts.backends import _cached
    from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

    fake = FakeTwilio().start()
    settings.SMS_BACKEND, settings.TWILIO_API_URL = "twilio", fake.url
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = ACCOUNT_SID, AUTH_TOKEN
    settings.TWILIO_FROM_NUMBER, settings.TWILIO_MESSAGING_SERVICE_SID = "+15005550006", ""
    settings.SMS_RATE_PER_SECOND = 10_000
    _cached.cache_clear()
    yield fake
    _cached.cache_clear()
    fake.stop()


# --- A real browser --------------------------------------------------------------------------------
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


@pytest.fixture
def chromium(monkeypatch):
    """Headless Chromium driven by Playwright (tests marked `browser`)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _translations_compiled():
    """The .mo files are build output (`make` compiles them); a bare pytest run compiles any that
    are missing or older than their .po, so French pages are French in every run."""
    from meetup.lib import translations

    for po in translations.stale_catalogues():
        translations.compile_catalogue(po)
