"""Settings for the Internship Portal, read from the environment.

With nothing set, the portal runs on the embedded default: SQLite, Celery tasks
executed in-process, e-mail printed to the console. `DATABASE_URL` and
`REDIS_URL` switch to PostgreSQL and Redis; the other variables carry Django's
own names (see DESIGN.md, "Configuration").
"""

import os
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .release import release_id

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def site_url_from_env(environ: Mapping[str, str]) -> str:
    """The absolute base of links: `SITE_URL`, else the address `make run` serves on (`HOST`, `PORT`)."""
    if environ.get("SITE_URL"):
        return environ["SITE_URL"].rstrip("/")
    host = environ.get("HOST") or "127.0.0.1"
    # A server bound to every interface is still reached on the loopback from this machine.
    if host in {"0.0.0.0", "::"}:  # noqa: S104 -- compared, not bound
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{environ.get('PORT') or '8000'}"


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY the portal still starts (demo, tests), but
# `check --deploy` flags the insecure key, so production cannot miss it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-embedded-default-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = site_url_from_env(os.environ)
# Every cache key and ETag carries it, so that a deploy never serves old bytes (internship_portal.release).
RELEASE_ID = release_id()

INSTALLED_APPS = [
    # Before the admin: it patches the admin's forms with the translated fields (docs/translations.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "audit",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "programs",
    "participants",
    "visits",
    "itinerary",
    "notices",
    "hosting",
    "notifications",
    "surveys",
    "partners",
    "accounts",
    "outcomes",
    "planning",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # `?lang=` on the API wins over Accept-Language (translated content, docs/translations.md).
    "internship_portal.api.translations.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: organiser pages and the admin need the two-factor code.
    "accounts.middleware.OrganiserTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "internship_portal.urls"
WSGI_APPLICATION = "internship_portal.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
            # `|day_label`, `|day_year`, ...: dates as each language writes them;
            # `|translated:"title"`: content in the reader's language, marked where it falls back.
            "builtins": ["internship_portal.dates", "internship_portal.translated"],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # IMMEDIATE takes the write lock at BEGIN, so the scheduling
            # service's check-then-insert runs one writer at a time.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker, results and cache ----------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hang a request: publish fails fast and the
# outbox sweep sends later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "max_retries": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TIMEZONE = "UTC"
# The schedule proposer's solves run on a queue of their own (a long solve never delays mail
# or webhooks): `celery -A internship_portal worker -Q planning` (Procfile: `planner`).
CELERY_TASK_ROUTES = {"planning.*": {"queue": "planning"}}
PLANNING_TIME_LIMIT_DEFAULT = int(os.environ.get("PLANNING_TIME_LIMIT_DEFAULT", "10"))
PLANNING_TIME_LIMIT_MAX = int(os.environ.get("PLANNING_TIME_LIMIT_MAX", "120"))
PLANNING_SOLVER_WORKERS = int(os.environ.get("PLANNING_SOLVER_WORKERS", "2"))
# Beat runs the periodic work of the outbox and of the messages; each task
# finds what is due itself (rows with a due time), so a missed run only delays.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "notifications.dispatch_outbox", "schedule": 30.0},
    "change-notices-release": {"task": "notices.release_quiet_change_notices", "schedule": 60.0},
    "evening-reminders": {"task": "notices.send_evening_reminders", "schedule": 600.0},
    "host-briefings": {"task": "notices.send_host_briefings", "schedule": 1800.0},
    "surveys-due": {"task": "surveys.send_due_surveys", "schedule": 900.0},
    "webhooks-sweep": {"task": "partners.dispatch_webhooks", "schedule": 60.0},
    "personal-data-retention": {"task": "participants.anonymise_expired", "schedule": 86400.0},
    "visitor-details-purge": {"task": "participants.purge_visitor_details", "schedule": 86400.0},
    "host-confirmation-reminders": {"task": "hosting.remind_unanswered_hosts", "schedule": 1800.0},
}

# --- Outgoing messages (the outbox) ---------------------------------------------
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "5"))
NOTIFICATION_RETRY_BACKOFF_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_BACKOFF_SECONDS", "60"))
NOTIFICATION_PENDING_GRACE_SECONDS = int(os.environ.get("NOTIFICATION_PENDING_GRACE_SECONDS", "60"))
NOTIFICATION_SENDING_TIMEOUT_SECONDS = int(os.environ.get("NOTIFICATION_SENDING_TIMEOUT_SECONDS", "600"))
CHANGE_NOTICE_QUIET_MINUTES = int(os.environ.get("CHANGE_NOTICE_QUIET_MINUTES", "15"))
REMINDER_LOCAL_HOUR = int(os.environ.get("REMINDER_LOCAL_HOUR", "18"))
SURVEY_NUDGE_AFTER_HOURS = int(os.environ.get("SURVEY_NUDGE_AFTER_HOURS", "48"))
# A host contact who has not answered a confirmation request is reminded once after this long.
HOST_CONFIRMATION_REMIND_AFTER_HOURS = int(os.environ.get("HOST_CONFIRMATION_REMIND_AFTER_HOURS", "48"))

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "internship_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login throttling (django-axes) covers every login form: ours and the admin's.
AUTHENTICATION_BACKENDS = [
    "internship_portal.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
# Lock the pair, so that one attacker cannot lock everyone out of a shared office address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front of the portal that append to X-Forwarded-For (the TLS proxy: 1).
# 0 ignores the header, which any client can write.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "internship_portal.throttling.client_ip"
# Two-factor login (django-otp): organisers and superusers may set up an authenticator
# app; with this on they must, before any organiser page or the admin.
ORGANISER_2FA_REQUIRED = env_bool("ORGANISER_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = "Internship Portal"
# Password-reset e-mails asked for per hour, per client address and per e-mail address.
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT", "5"))

# Participants' personal fields are anonymised this many months after their
# program ends (a beat task); survey results stay as aggregates.
PERSONAL_DATA_RETENTION_MONTHS = int(os.environ.get("PERSONAL_DATA_RETENTION_MONTHS", "12"))
# Visitors' ID details (passport name and number, citizenship, date of birth) are kept only for the
# security desks: they are deleted this many days after the program ends (a beat task).
VISITOR_DETAILS_RETENTION_DAYS = int(os.environ.get("VISITOR_DETAILS_RETENTION_DAYS", "7"))
# Fernet keys that encrypt those details at rest, comma-separated, the newest first (older ones
# still decrypt: internship_portal/crypto.py). Unset, a development key is used, which
# `check --deploy` refuses.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", "")

# --- Languages and time -------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content (titles, agendas, names, survey texts) in the three languages, django-modeltranslation:
# existing values are the English ones; a missing translation falls back kk -> ru -> en, ru -> en,
# and en -> ru -> kk so that an English page never shows a blank title (docs/translations.md).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ru", "kk")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "kk": ("ru", "en"), "ru": ("en",), "en": ("ru", "kk")}
USE_I18N = True
# The host academy's zone: what the admin shows; each program carries its own.
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files the portal writes (the ZIPs of certificates); served only through the organiser's pages.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail -------------------------------------------------------------------
# Every e-mail leaves through the outbox: this backend passes its messages to the real one
# (EMAIL_BACKEND in the environment: SMTP, console, ...) and refuses any other (notifications.backends).
EMAIL_BACKEND = "notifications.backends.OutboxOnlyBackend"
OUTBOX_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Internship Portal <portal@localhost>")

# --- REST framework -----------------------------------------------------------
# The partner API (/api/v1/, issue 3): see internship_portal/api/ and partners/.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "internship_portal.api.schema.PortalAutoSchema",
    # Token first: its WWW-Authenticate header makes a missing credential a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["internship_portal.api.access.PortalApiPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["partners.throttling.ClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "internship_portal.api.pagination.PortalPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["internship_portal.api.parsers.PortalJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "internship_portal.api.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Requests per API client (or session user); more answer 429 with Retry-After.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "1200/minute")
# Webhook deliveries: attempts before a delivery is marked failed, and the first
# retry delay (doubling each time, at most an hour).
PARTNERS_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("PARTNERS_WEBHOOK_MAX_ATTEMPTS", "6"))
PARTNERS_WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("PARTNERS_WEBHOOK_BACKOFF_SECONDS", "30"))
# Webhooks go to public addresses only, unless this is on (a partner on our private network).
PARTNERS_WEBHOOK_ALLOW_PRIVATE = env_bool("PARTNERS_WEBHOOK_ALLOW_PRIVATE", False)
SPECTACULAR_SETTINGS = {
    "TITLE": "Internship Portal API",
    "DESCRIPTION": (
        "The partner API: programs, groups, participants, hosts, visits, itineraries (JSON and "
        "iCalendar) and webhooks. Authenticate with `Authorization: Bearer <token>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar, pinned), never a CDN:
    # the CSP allows scripts from 'self' only. No validator badge (it would load from outside).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "HostKindEnum": "visits.enums.HostKind",
        "VisitKindEnum": "visits.enums.VisitKind",
        "VisitStatusEnum": "visits.enums.VisitStatus",
        "ProgramStatusEnum": "programs.enums.ProgramStatus",
        "QuestionKindEnum": "surveys.enums.QuestionKind",
        "ImportModeEnum": "participants.enums.ImportMode",
        "ProposalStatusEnum": "planning.enums.ProposalStatus",
        "PriorityEnum": "planning.enums.Priority",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "internship_portal.api.schema.add_error_responses",
    ],
}

# --- Security (production) ----------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own static files,
# never inline. Inline style attributes stay allowed: the schedule board places
# its blocks with server-computed positions.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Django's request warnings ("Not Found: /i/<token>/") and runserver's request lines
# name the path: the filter redacts personal, survey and host tokens before any handler
# writes them (gunicorn's own logs: internship_portal/gunicorn_logger.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secret_links": {"()": "internship_portal.log_redaction.RedactSecretLinks"}},
    "formatters": {
        # runserver's request lines, as Django's default logging prints them.
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every step of every PDF at INFO; a ZIP of certificates would flood the log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.request": {"filters": ["redact_secret_links"]},
        "django.security.csrf": {"filters": ["redact_secret_links"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_secret_links"],
        },
    },
}
