"""Test settings: fast hashing, in-memory email, synchronous jobs. DATABASE_URL picks PostgreSQL or SQLite."""

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, LOGGING, POSTGRESQL_OPTIONS, Q_CLUSTER, env

ENVIRONMENT = "test"

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
SIMPLE_JWT = {**SIMPLE_JWT, "SIGNING_KEY": "test-jwt-signing-key-0123456789abcdef"}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One process, cleared before each test; the shared cache of base.py is tested where it matters.
CACHES = {alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"} for alias in CACHES}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'test.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **POSTGRESQL_OPTIONS}
CORS_ALLOWED_ORIGINS = ["https://app.mif.ma"]
FRONTEND_URL = "https://app.mif.ma"
MEDIA_ROOT = BASE_DIR / ".test-media"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
