"""Settings of Nastavnik, read from the environment.

The embedded default needs nothing installed: SQLite under ``var/`` with WAL, the database task
backend. Production sets ``DATABASE_URL`` (PostgreSQL through psycopg 3) and uses
``nastavnik.settings.production``.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from nastavnik.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("NASTAVNIK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str(
    "SECRET_KEY",
    # Only the embedded development default may run without a secret; production refuses it.
    "insecure-development-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Nastavnik, one app per domain area.
    "nastavnik.core",
    "nastavnik.accounts",
    "nastavnik.organizations",
    "nastavnik.people",
    "nastavnik.programs",
    "nastavnik.consents",
    "nastavnik.imports",
    "nastavnik.market",
    "nastavnik.documents",
    "nastavnik.matching",
    "nastavnik.mentorships",
    "nastavnik.surveys",
    "nastavnik.pairwork",
    "nastavnik.reports",
    "nastavnik.events",
    "nastavnik.quickmentoring",
    "nastavnik.ideas",
    "nastavnik.library",
    "nastavnik.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "nastavnik.core.two_factor.TwoFactorMiddleware",
    "nastavnik.core.middleware.SessionTimeoutMiddleware",
    "nastavnik.core.middleware.NoStoreMiddleware",
    "nastavnik.core.middleware.DeniedAccessAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nastavnik.urls"
WSGI_APPLICATION = "nastavnik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nastavnik.core.context_processors.navigation",
            ],
        },
    },
]

# Django's form renderer, with select boxes written in Python (same markup, a fraction of the time).
FORM_RENDERER = "nastavnik.core.renderers.FastSelectRenderer"

# --- Database -------------------------------------------------------------------------------
_SQLITE_PATH = VAR_DIR / "nastavnik.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"),
        # Seconds a web process keeps its database connection between requests (0: a new
        # connection per request). Production sets 60 or so, with the health check on: a connection
        # the database dropped (restart, failover) is replaced before a request uses it.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the web process read while the task worker writes.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
# Locked by the login name (from any address), and apart by the address with the browser: a whole
# school behind one address is not locked out by one pupil's typing; a script trying names is.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
# A Russian page that says for how long logging in is paused (not a bare «429»).
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

# --- Tasks ----------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Internationalization -------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian"))]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS: list[Path] = []  # each app keeps its catalogue in <app>/locale
FORMAT_MODULE_PATH = ["nastavnik.formats"]
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS: list[Path] = []  # each app keeps its assets in <app>/static
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Security defaults that hold in every profile ------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Content Security Policy (django-csp): scripts only from our own static files, never inline;
# nothing is framed; forms post only here. Inline style attributes stay allowed (progress bars).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# A session ends after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_ABSOLUTE_TIMEOUT
# seconds after the login whatever happens (core.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60 * 2)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 60 * 60 * 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Behind a TLS proxy that sets X-Forwarded-For, the audit log records the client's address from it.
NASTAVNIK_TRUST_X_FORWARDED_FOR = env_bool("NASTAVNIK_TRUST_X_FORWARDED_FOR", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_without_traceback": {
            "()": "nastavnik.core.logging.ClientErrorsWithoutTraceback"
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # One line per refused request (403, 404), a traceback only for server errors.
        "django.request": {"filters": ["client_errors_without_traceback"]},
        # PDF rendering: WeasyPrint logs seven «Step N» lines per document, fontTools
        # a line per subset font. Their warnings and errors still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Page sizes and other product knobs.
NASTAVNIK_PAGE_SIZE = env_int("NASTAVNIK_PAGE_SIZE", 50)
# Days a mentee's request to a mentor waits for an answer before it expires.
NASTAVNIK_MENTOR_REQUEST_DAYS = env_int("NASTAVNIK_MENTOR_REQUEST_DAYS", 7)
# A running import renews its lease (a heartbeat); one not renewed for this long has lost its worker
NASTAVNIK_IMPORT_LEASE_SECONDS = env_int("NASTAVNIK_IMPORT_LEASE_SECONDS", 120)
# A matching run still «running» this long after it started has lost its worker (killed): it is
# shown as interrupted, and the next run of its program closes it (nothing of it is kept)
NASTAVNIK_MATCHING_RUN_TIMEOUT = env_int("NASTAVNIK_MATCHING_RUN_TIMEOUT", 30 * 60)
# Background jobs (documents, starts of a year, report files) finished this many days ago are
# deleted with their result files by `manage.py jobs_clean`.
NASTAVNIK_JOB_KEEP_DAYS = env_int("NASTAVNIK_JOB_KEEP_DAYS", 30)
# The address people reach the site at: links in e-mails (survey reminders) start with it.
NASTAVNIK_BASE_URL = env_str("NASTAVNIK_BASE_URL", "http://127.0.0.1:8000")
# E-mail: printed to the worker's console unless a server is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "nastavnik@localhost")
