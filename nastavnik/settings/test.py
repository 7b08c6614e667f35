"""Settings for the test suite: fast hashing, immediate tasks, throwaway media."""

from __future__ import annotations

import tempfile
from pathlib import Path

from nastavnik.settings.base import *  # noqa: F403
from nastavnik.settings.base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="nastavnik-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="nastavnik-test-static-"))
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
AXES_ENABLED = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests run on an in-memory database unless DATABASE_URL points elsewhere.
    DATABASES["default"]["TEST"] = {"NAME": ""}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "WARNING"},
}
