"""Environment checks behind `manage.py validate_env`: settings that are missing, unsafe or unusable.

Each check returns a list of problems, one readable sentence each; an empty list means the check passed.
The production checks only run under the production settings, the others in every mode.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections

# Same bar as Django's own deploy check on SECRET_KEY (security.W009).
MIN_KEY_LENGTH = 50
MIN_KEY_UNIQUE_CHARACTERS = 5
# Found in the placeholder keys of base.py and test.py, and in the keys `startproject` generates.
PLACEHOLDER_KEY_MARKERS = ("insecure", "change-me", "not-for-production")
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def is_production() -> bool:
    return os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production")


def key_problems(name: str, value: str) -> list[str]:
    if not value:
        return [f"{name} is not set"]
    if any(marker in value.lower() for marker in PLACEHOLDER_KEY_MARKERS):
        return [f"{name} is a placeholder value, not a secret"]
    if len(value) < MIN_KEY_LENGTH or len(set(value)) < MIN_KEY_UNIQUE_CHARACTERS:
        return [f"{name} is too weak: use at least {MIN_KEY_LENGTH} random characters"]
    return []


def _secret_key() -> str:
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:
        # production.py leaves SECRET_KEY empty when unset, and Django refuses to hand out an empty one.
        return ""


def check_secret_keys() -> list[str]:
    secret_key = _secret_key()
    # Without its own SIGNING_KEY, simplejwt signs with SECRET_KEY.
    signing_key = settings.SIMPLE_JWT.get("SIGNING_KEY", secret_key)
    problems = key_problems("SECRET_KEY", secret_key) + key_problems("JWT_SIGNING_KEY", signing_key)
    if signing_key and signing_key == secret_key:
        problems.append("JWT_SIGNING_KEY equals SECRET_KEY: give it a value of its own")
    return problems


def check_debug() -> list[str]:
    return ["DEBUG is on: it exposes settings and stack traces"] if settings.DEBUG else []


def check_shared_cache() -> list[str]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return ["CACHE_URL is a per-process cache: throttles need one every worker shares (dbcache:// or redis://)"]
    return []


def check_database_engine() -> list[str]:
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return ["DATABASE_URL points at SQLite: production runs on PostgreSQL"]
    return []


def check_allowed_hosts() -> list[str]:
    if not settings.ALLOWED_HOSTS:
        return ["ALLOWED_HOSTS is empty: every request would be refused"]
    if "*" in settings.ALLOWED_HOSTS:
        return ["ALLOWED_HOSTS contains '*': list the host names the API answers to"]
    return []


def check_cors() -> list[str]:
    if not settings.CORS_ALLOWED_ORIGINS:
        return ["CORS_ALLOWED_ORIGINS is empty: the front end could not call the API"]
    return []


def check_frontend_url() -> list[str]:
    if urlsplit(settings.FRONTEND_URL).scheme != "https":
        return [f"FRONTEND_URL {settings.FRONTEND_URL!r} is not https: password-reset links would travel in clear"]
    return []


def check_database_connection() -> list[str]:
    try:
        connections["default"].ensure_connection()
    except Exception as exc:  # whatever the cause (refused, bad credentials, bad URL), the app cannot work
        return [f"database unreachable: {_first_line(exc)}"]
    return []


def _first_line(exc: Exception) -> str:
    """Driver errors run over several lines; the first one says what went wrong."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def check_media_root() -> list[str]:
    if not isinstance(default_storage, FileSystemStorage):
        return []
    location = Path(default_storage.location)
    try:
        # A real write: os.access() says yes to root on any writable mount, whatever the permissions.
        # Creating the directory is what the storage itself does on the first upload.
        location.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=location):
            pass
    except OSError as exc:
        return [f"MEDIA_ROOT {location} is not writable: {exc.strerror or exc}"]
    return []


def check_email() -> list[str]:
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        return []
    problems = []
    if not settings.EMAIL_HOST:
        problems.append("EMAIL_BACKEND is SMTP but EMAIL_HOST is empty")
    if settings.EMAIL_HOST_USER and not settings.EMAIL_HOST_PASSWORD:
        problems.append("EMAIL_HOST_USER is set but EMAIL_HOST_PASSWORD is empty")
    return problems


PRODUCTION_CHECKS = (
    check_secret_keys,
    check_debug,
    check_database_engine,
    check_shared_cache,
    check_allowed_hosts,
    check_cors,
    check_frontend_url,
)
COMMON_CHECKS = (check_database_connection, check_media_root, check_email)


def find_problems() -> list[str]:
    checks = (PRODUCTION_CHECKS if is_production() else ()) + COMMON_CHECKS
    return [problem for check in checks for problem in check()]
