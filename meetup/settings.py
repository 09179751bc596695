"""Settings for the meetup platform, read strictly from the environment.

Embedded defaults need no services: SQLite in WAL mode, a file-system Celery broker, console email
and SMS. Setting DATABASE_URL and REDIS_URL moves to PostgreSQL and Redis. The names are the ones in
README.md's configuration table.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from meetup.env import env_bool, env_choice, env_float, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


PUBLIC_BASE_URL = (env_url("PUBLIC_BASE_URL", ("http", "https")) or "http://127.0.0.1:8000").rstrip("/")
PUBLIC_HOST = urlsplit(PUBLIC_BASE_URL).hostname or "localhost"
# A deployment names its address; on the embedded defaults the site only answers on loopback.
DEPLOYED = bool(env_str("PUBLIC_BASE_URL") or env_str("ALLOWED_HOSTS"))

_KEY_FIX = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
_PLACEHOLDER_KEYS = ("change-me", "changeme", "replace-me", "django-insecure", "secret", "collectstatic")


def _secret_key() -> str:
    """SECRET_KEY or the contents of SECRET_KEY_FILE; on the embedded defaults, one generated once
    into DATA_DIR. Every host of a deployment must share one real key: links signed by one host
    (unsubscribe, tickets, invitations) are checked by another."""
    key, key_file = env_str("SECRET_KEY"), env_str("SECRET_KEY_FILE")
    if key and key_file:
        raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE, not both.")
    if key_file:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"SECRET_KEY_FILE={key_file!r} cannot be read: {exc.strerror}.") from None
    if key:
        if not DEBUG and (len(key) < 50 or len(set(key)) < 5 or key.lower().startswith(_PLACEHOLDER_KEYS)):
            raise ImproperlyConfigured(
                "SECRET_KEY is a placeholder or shorter than 50 characters, and DEBUG is false: " + _KEY_FIX + "."
            )
        return key
    if DEPLOYED and not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is false (set SECRET_KEY, or SECRET_KEY_FILE to a file "
            "holding it, the same on every host): " + _KEY_FIX + "."
        )
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Loopback stays allowed so a container's health check can call the app directly.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [PUBLIC_HOST, "localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL]

INSTALLED_APPS = [
    "meetup.admin_apps.MeetupAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.openid_connect",
    "phonenumber_field",
    "ninja",
    "meetup.accounts",
    "meetup.events",
    "meetup.audit",
    "meetup.broadcasts.apps.BroadcastsConfig",
    "anymail",
    "meetup.showcase",
    "meetup.program",
    "hubsync",
    "meetup.demos",
    "meetup.apps.MeetupConfig",  # project level: composition, seed data, wiring between peers
]

MIDDLEWARE = [
    "meetup.lib.requestid.RequestIdMiddleware",
    "meetup.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "meetup.lib.middleware.RefuseBadInputMiddleware",
    "csp.middleware.CSPMiddleware",
    "meetup.lib.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (the language switcher's choice), before common (its redirects).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "meetup.urls"
WSGI_APPLICATION = "meetup.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meetup.accounts.context_processors.roles",
            ],
            "libraries": {"meetup": "meetup.lib.templatetags"},
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    _db = environ.Env.db_url_config(DATABASE_URL)
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "db.sqlite3")}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue on the busy
    # timeout instead of failing with "database is locked" half-way through.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    _db["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: cache, broker, rate limits --------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "meetup"),
        }
    }
else:
    # A file cache is shared by every process on the box, so rate limits hold across the web
    # server and worker without a cache server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# The event page for visitors with no session, its live counter and GET /api/events/{slug} are kept
# this many seconds for everyone (0: off); counts may be that old, edits show at once (events/readcache.py).
READ_CACHE_SECONDS = env_int("READ_CACHE_SECONDS", 1, minimum=0, maximum=60)

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# A message taken by a worker and not acknowledged within this many seconds goes back to its queue
# (tasks acknowledge late, when done): longer than the longest task, or it would run twice.
# Retries wait up to an hour (a Hub 429), so the default leaves room for those too.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 7200, minimum=60)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
if not REDIS_URL:
    _broker_dir = DATA_DIR / "broker"
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "control").mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS.update({
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        # kombu's default is ./control, beside whatever directory the process started in.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    })
    (DATA_DIR / "results").mkdir(exist_ok=True)
    CELERY_RESULT_BACKEND = f"file://{DATA_DIR / 'results'}"
else:
    CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# Nobody reads the results of the app's tasks; the two that are waited on say so.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ANNOTATIONS = {
    "meetup.ping": {"ignore_result": False},
    "hubsync.refresh_owner": {"ignore_result": False},
}
# Every task gets a time limit unless it has its own (the demo runs do: DEMO_*_TIME_LIMIT).
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=2)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT.")
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "broadcasts.deliver_sms": {"queue": "sms"},
    "broadcasts.deliver_email": {"queue": "email"},
    "showcase.*": {"queue": "default"},
    "hubsync.*": {"queue": "default"},
    "demos.run": {"queue": "gpu"},
    "demos.*": {"queue": "default"},
}
CELERY_BEAT_SCHEDULE = {
    # Owed RSVP messages, scheduled blasts, retries due, stale claims: a short tick keeps messages
    # within seconds and starts delivery workers only when something is due.
    "broadcasts-tick": {"task": "broadcasts.tick", "schedule": 3.0, "options": {"expires": 3.0}},
    "expire-holds": {"task": "events.expire_holds", "schedule": 60.0, "options": {"expires": 60.0}},
    # Unclaimed waitlist offers pass to the next person; scheduled "still coming?" questions go out.
    "expire-offers": {"task": "events.expire_offers", "schedule": 30.0, "options": {"expires": 30.0}},
    "forecasts": {"task": "events.check_forecasts", "schedule": 900.0, "options": {"expires": 900.0}},
    # Linked Hub repositories: counts every hour (webhooks bring content changes sooner).
    "hub-refresh": {"task": "hubsync.refresh_linked", "schedule": 3600.0, "options": {"expires": 3600.0}},
    "trending": {"task": "showcase.recompute_trending", "schedule": 600.0, "options": {"expires": 600.0}},
    "demo-sweep": {"task": "demos.sweep", "schedule": 30.0, "options": {"expires": 30.0}},
    # Phone numbers and answers kept past RETENTION_DAYS after the person's last event.
    "retention": {"task": "accounts.retention_shred", "schedule": 86400.0, "options": {"expires": 3600.0}},
}
# One beat schedules across every host: a lock in Redis, held with a TTL and renewed on each tick
# (meetup/lib/beat.py); a second beat waits and takes over when the first stops renewing.
CELERY_BEAT_SCHEDULER = "meetup.lib.beat:LockedScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
BEAT_LOCK_TTL = env_int("BEAT_LOCK_TTL", 30, minimum=3)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A gpu worker's process imports torch and transformers when it starts (meetup/demos/worker.py).
CELERY_WORKER_PROC_ALIVE_TIMEOUT = env_float("CELERY_WORKER_PROC_ALIVE_TIMEOUT", 60.0, minimum=1.0)

# --- Email ----------------------------------------------------------------------------------------
EMAIL_URL = env_url(
    "EMAIL_URL", ("smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail")
)
if EMAIL_URL:
    globals().update(environ.Env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# An email service provider through django-anymail, e.g.
# EMAIL_BACKEND=anymail.backends.postmark.EmailBackend ANYMAIL_POSTMARK_SERVER_TOKEN=...
EMAIL_BACKEND = env_str("EMAIL_BACKEND", EMAIL_BACKEND)
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}
# Seconds an SMTP connection may block; a hung server must not hold a delivery worker forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Open AI Meetups <hello@meetup.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "help@meetup.localhost")
EMAIL_MESSAGE_ID_DOMAIN = urlsplit(PUBLIC_BASE_URL).hostname or "localhost"

# --- SMS ------------------------------------------------------------------------------------------
SMS_BACKEND = env_choice("SMS_BACKEND", ("console", "twilio"), "console")
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
TWILIO_MESSAGING_SERVICE_SID = env_str("TWILIO_MESSAGING_SERVICE_SID")
TWILIO_API_URL = env_url("TWILIO_API_URL", ("http", "https"))
# Segments per second across all workers (a US long code sends 1/s, toll-free 3/s, a short code ~100/s).
SMS_RATE_PER_SECOND = env_float("SMS_RATE_PER_SECOND", 1.0, minimum=0.01)
if SMS_BACKEND == "twilio":
    if not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN):
        raise ImproperlyConfigured("SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.")
    if not (TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID):
        raise ImproperlyConfigured(
            "SMS_BACKEND=twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID."
        )

# --- Broadcasts -----------------------------------------------------------------------------------
# Announcements by text wait for the end of quiet hours in the recipient's time zone.
QUIET_HOURS_START = env_int("QUIET_HOURS_START", 21, minimum=0)
QUIET_HOURS_END = env_int("QUIET_HOURS_END", 8, minimum=0)
if QUIET_HOURS_START > 23 or QUIET_HOURS_END > 23:
    raise ImproperlyConfigured("QUIET_HOURS_START and QUIET_HOURS_END are hours of the day, 0 to 23.")
# Delivery tasks run at once per channel and how long each runs before handing over, messages
# claimed at a time, tries before a message fails, and how long a claimed message may stay in
# flight before its worker is taken for dead.
BROADCAST_WORKERS = env_int("BROADCAST_WORKERS", 2, minimum=1)
BROADCAST_TASK_SECONDS = env_int("BROADCAST_TASK_SECONDS", 20, minimum=1)
BROADCAST_BATCH_SIZE = env_int("BROADCAST_BATCH_SIZE", 50, minimum=1)
BROADCAST_MAX_ATTEMPTS = env_int("BROADCAST_MAX_ATTEMPTS", 5, minimum=1)
BROADCAST_STALE_AFTER = env_int("BROADCAST_STALE_AFTER", 300, minimum=2)

# --- Hugging Face Hub -----------------------------------------------------------------------------
HF_ENDPOINT = env_url("HF_ENDPOINT", ("http", "https"), "https://huggingface.co")
HF_TOKEN = env_str("HF_TOKEN")
HUB_WEBHOOK_SECRET = env_str("HUB_WEBHOOK_SECRET")

# --- Demos: inference on the gpu queue --------------------------------------------------------------
# Models load only from this Hub cache (filled by `manage.py prefetch_demo_models`), never from the
# network during a request.
HF_HOME = env_str("HF_HOME", str(DATA_DIR / "huggingface"))
DEMO_MODEL_CACHE = env_str("HF_HUB_CACHE", str(Path(HF_HOME) / "hub"))
# When set, only these repositories may load, whatever the enabled demos say.
DEMO_ALLOWED_MODELS = env_list("DEMO_ALLOWED_MODELS", [])
# Runs of one model taken through it together, and how long a worker waits for a batch to fill.
DEMO_BATCH_SIZE = env_int("DEMO_BATCH_SIZE", 8, minimum=1)
DEMO_BATCH_WINDOW_MS = env_int("DEMO_BATCH_WINDOW_MS", 50, minimum=0)
# A batch past the soft limit is marked timed out; past the hard one its process is killed.
DEMO_SOFT_TIME_LIMIT = env_int("DEMO_SOFT_TIME_LIMIT", 60, minimum=1)
DEMO_HARD_TIME_LIMIT = env_int("DEMO_HARD_TIME_LIMIT", 90, minimum=2)
if DEMO_SOFT_TIME_LIMIT >= DEMO_HARD_TIME_LIMIT:
    raise ImproperlyConfigured("DEMO_SOFT_TIME_LIMIT must be below DEMO_HARD_TIME_LIMIT.")
# A run still queued after this many seconds fails (no gpu worker, or a long queue).
DEMO_QUEUE_TIMEOUT = env_int("DEMO_QUEUE_TIMEOUT", 300, minimum=1)
if CELERY_VISIBILITY_TIMEOUT <= max(CELERY_TASK_TIME_LIMIT, DEMO_HARD_TIME_LIMIT):
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT and DEMO_HARD_TIME_LIMIT, "
        "or a task still running is handed to a second worker."
    )
# Caps over every demo's own limits.
DEMO_MAX_INPUT_CHARS = env_int("DEMO_MAX_INPUT_CHARS", 2000, minimum=1)
DEMO_MAX_NEW_TOKENS = env_int("DEMO_MAX_NEW_TOKENS", 256, minimum=1)
DEMO_MAX_OUTPUT_CHARS = env_int("DEMO_MAX_OUTPUT_CHARS", 4000, minimum=1)
# Runs per minute a person, and an address (a venue shares one), may start.
DEMO_RUNS_PER_MINUTE_USER = env_int("DEMO_RUNS_PER_MINUTE_USER", 10, minimum=1)
DEMO_RUNS_PER_MINUTE_IP = env_int("DEMO_RUNS_PER_MINUTE_IP", 120, minimum=1)

# --- Accounts (django-allauth) --------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "meetup.accounts.adapters.AccountAdapter"  # usernames are handles, never the email's local part
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Open AI Meetups] "
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

SOCIALACCOUNT_PROVIDERS = {}
if env_str("GITHUB_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["github"] = {
        "APPS": [{"client_id": env_str("GITHUB_CLIENT_ID"), "secret": env_str("GITHUB_CLIENT_SECRET")}],
        "SCOPE": ["user:email"],
    }
if env_str("HF_OAUTH_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "huggingface",
                "name": "Hugging Face",
                "client_id": env_str("HF_OAUTH_CLIENT_ID"),
                "secret": env_str("HF_OAUTH_CLIENT_SECRET"),
                "settings": {"server_url": HF_ENDPOINT, "scope": ["openid", "profile", "email"]},
            }
        ]
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "E164"

# --- Internationalisation, static files -----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Personal data ----------------------------------------------------------------------------------
# Phone numbers and registration answers are shredded this many days after the person's last event.
RETENTION_DAYS = env_int("RETENTION_DAYS", 365, minimum=1)
# The personal-data archive is built in memory; past this many bytes of JSON it is refused.
EXPORT_MAX_BYTES = env_int("EXPORT_MAX_BYTES", 50_000_000, minimum=1_000_000)

STATIC_URL = "static/"
# Collected static files belong to the code, not to the data: in the image they are built in, so
# an upgrade never serves the last release's files from the data volume.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "build" / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# build/static holds front-end packages copied from node_modules by `make assets`.
STATICFILES_DIRS = [d for d in (BASE_DIR / "static", BASE_DIR / "build" / "static") if d.is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# --- HTTPS: on by default when the public address is https ----------------------------------------
HTTPS = PUBLIC_BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# The TLS proxy in front says which scheme the client used (README, Deploy).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# A load balancer probes over plain http; Prometheus may scrape a host directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a commitment made by submitting the domain to browsers' list; opt in when you do.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
X_FRAME_OPTIONS = "DENY"

# --- Security headers and proxies ------------------------------------------------------------------
# How many reverse proxies of ours stand in front (each appends to X-Forwarded-For): the client's
# address for every per-address limit is read behind exactly this many (meetup/lib/net.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_REFERRER_POLICY = "same-origin"
# Scripts, styles and frames from this site only (no inline scripts: behaviour lives in static/js);
# images also from the Hub, as Markdown allows (meetup/lib/markdown.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https://huggingface.co", "https://cdn-uploads.huggingface.co"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Operations: logs, errors, metrics --------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
LOG_FORMAT = env_choice("LOG_FORMAT", ("text", "json"), "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "meetup.lib.logs.ContextFilter"}},
    "formatters": {"default": {"()": "meetup.lib.logs.formatter", "fmt": LOG_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": "default"}},
    # The Hub client's HTTP library logs every request at INFO.
    "loggers": {"httpx2": {"level": "WARNING"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Errors (web and tasks) go to Sentry when a DSN is set; no personal data is attached.
SENTRY_DSN = env_url("SENTRY_DSN", ("http", "https"))
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0, minimum=0.0),
    )

# GET /metrics for Prometheus, with `Authorization: Bearer <METRICS_TOKEN>`; off without a token.
METRICS_TOKEN = env_str("METRICS_TOKEN")
# Outbox lag (seconds the oldest due message has waited) past which /healthz says "lagging", and
# beat heartbeat age past which it says "stale".
HEALTH_OUTBOX_LAG = env_int("HEALTH_OUTBOX_LAG", 300, minimum=1)
HEALTH_BEAT_STALE = env_int("HEALTH_BEAT_STALE", 120, minimum=1)
