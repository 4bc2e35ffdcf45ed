"""Settings shared by every environment, read from the environment with embedded defaults.

With nothing set the project runs on SQLite, local files, the ORM broker and console email.
Every variable is documented in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# `.env` feeds docker compose (env_file); Django reads it only when asked, so a compose `.env`
# (DATABASE_URL=...@db) never leaks into `make run` or `make test` on a workstation.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
# Which settings module is in force: local, test or production (each module sets its own).
ENVIRONMENT = "base"
SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-secret-key-change-me-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_q",
    # Lowest layer first (docs/architecture.md): the platform, then the domain apps, then what sits on top.
    "erp_mif.core",
    "notifications",
    "erp_mif.accounts",
    "clients",
    "technicians",
    "equipment",
    "interventions",
    "documents",
    "erp_mif.tooling",
    "demo",
]

MIDDLEWARE = [
    "erp_mif.api.middleware.RequestIdMiddleware",
    # Outside the others, so that what they answer themselves (a CORS preflight, a bad Host) gets the headers.
    "erp_mif.api.middleware.ApiSecurityHeadersMiddleware",
    "erp_mif.api.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "erp_mif.api.middleware.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "erp_mif.urls"
WSGI_APPLICATION = "erp_mif.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Database: SQLite when DATABASE_URL is not set
# ------------------------------------------------------------------------------
POSTGRESQL_OPTIONS = {
    # Fail fast instead of hanging when the database is unreachable (503, not a timeout).
    "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=5),
    # Short OLTP statements: PostgreSQL's JIT compiled some for up to 190 ms to save a few.
    "options": "-c jit=off",
}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the job worker write at once: WAL lets readers through, IMMEDIATE takes the
    # write lock up front, and the busy timeout makes a writer wait instead of failing "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    given = DATABASES["default"].get("OPTIONS", {})
    DATABASES["default"]["OPTIONS"] = {
        **given,
        **POSTGRESQL_OPTIONS,
        # Options from DATABASE_URL (?options=-c search_path=...) are kept, ours added after them.
        "options": " ".join(filter(None, [given.get("options"), POSTGRESQL_OPTIONS["options"]])),
    }
# Seconds a web request's SQL statement may run before PostgreSQL cancels it (erp_mif/api/database.py).
REQUEST_STATEMENT_TIMEOUT = env.int("REQUEST_STATEMENT_TIMEOUT", default=25)

# ------------------------------------------------------------------------------
# Cache: shared by every worker, because the throttles count there (a per-process memory would let
# each worker grant the whole rate). A table of the database by default; Redis with CACHE_URL=redis://...
# ------------------------------------------------------------------------------
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://erp_mif_cache"),
    # django-q2 writes its cluster's statistics twice a second: kept in the worker's memory, as before.
    "job_worker_stats": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# ------------------------------------------------------------------------------
# Passwords and authentication
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 3600)

# Login brute-force protection: this many failures for one email or one IP within the window lock it out.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW = timedelta(minutes=env.int("LOGIN_FAILURE_WINDOW_MINUTES", default=15))
# Behind a reverse proxy that sets X-Forwarded-For, trust its left-most address for the client IP.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)

# ------------------------------------------------------------------------------
# Internationalisation: French by default, English on request
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
# Apps bring their own locale/; the API's conventions are a package, not an app: their catalog is named here.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "erp_mif" / "api" / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Static and media files
# ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Media is never served as static files: documents go through the API, which checks rights.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# Documents: uploads and downloads (local files by default, any S3-compatible store when configured)
# ------------------------------------------------------------------------------
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Hand downloads to nginx (X-Accel-Redirect to an internal location) instead of streaming them from Django.
DOWNLOADS_X_ACCEL = env.bool("DOWNLOADS_X_ACCEL", default=False)
DOWNLOADS_X_ACCEL_PREFIX = env("DOWNLOADS_X_ACCEL_PREFIX", default="/protected-media/")
# Lifetime of a document's signed download_url and of an S3 presigned redirect, in seconds.
DOWNLOAD_URL_MAX_AGE = env.int("DOWNLOAD_URL_MAX_AGE", default=300)
STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")  # local | s3
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default=""),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": None,  # private objects: downloads go through the API's rights check
            "querystring_auth": True,
            "querystring_expire": DOWNLOAD_URL_MAX_AGE,
            "file_overwrite": False,
        },
    }
# --- documents: further settings of the documents app go here ---

# ------------------------------------------------------------------------------
# Notifications
# ------------------------------------------------------------------------------
# Attempts to send one email of the outbox before it is marked failed.
EMAIL_OUTBOX_MAX_ATTEMPTS = env.int("EMAIL_OUTBOX_MAX_ATTEMPTS", default=8)
# --- notifications: further settings of the notifications app go here ---

# ------------------------------------------------------------------------------
# Email: console by default
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MIF Maroc <no-reply@mif.ma>")
FRONTEND_URL = env("FRONTEND_URL", default="http://localhost:5173").rstrip("/")

# ------------------------------------------------------------------------------
# REST API
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["erp_mif.accounts.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["erp_mif.api.permissions.RbacPermission"],
    "DEFAULT_PAGINATION_CLASS": "erp_mif.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "erp_mif.api.filters.SearchFilter",
        "erp_mif.api.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "erp_mif.api.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "erp_mif.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "password_reset": env("THROTTLE_PASSWORD_RESET", default="5/hour"),
    },
    "PAGE_SIZE": 25,
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    # A key of its own, so rotating SECRET_KEY and rotating tokens are separate decisions.
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ERP MIF Maroc API",
    "DESCRIPTION": "Interventions, equipment and preventive maintenance for MIF Maroc.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "erp_mif.accounts.choices.Role",
        "DocumentKindEnum": "documents.choices.DocumentKind",
        "NotificationKindEnum": "notifications.choices.NotificationKind",
    },
}

# ------------------------------------------------------------------------------
# CORS: only the configured origins
# ------------------------------------------------------------------------------
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = [
    "authorization",
    "content-type",
    "if-match",
    "idempotency-key",
    "x-request-id",
    "accept-language",
]
CORS_EXPOSE_HEADERS = ["ETag", "X-Request-ID", "Content-Disposition"]

# ------------------------------------------------------------------------------
# Security headers (HSTS and secure cookies are switched on in production)
# ------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# ------------------------------------------------------------------------------
# API conventions
# ------------------------------------------------------------------------------
IDEMPOTENCY_TTL = timedelta(hours=24)

# ------------------------------------------------------------------------------
# Background jobs (django-q2): the ORM broker unless Q_BROKER_URL points at Redis
# ------------------------------------------------------------------------------
Q_CLUSTER = {
    "name": "erp_mif",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=120),
    "retry": env.int("Q_RETRY", default=180),
    "max_attempts": env.int("Q_MAX_ATTEMPTS", default=5),
    "catch_up": False,
    "cache": "job_worker_stats",
    "orm": "default",
}
if env("Q_BROKER_URL", default=""):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = env("Q_BROKER_URL")

# ------------------------------------------------------------------------------
# Logging: one JSON object per line, every line of a request carries its request_id
# ------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "erp_mif.core.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "erp_mif.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # The request log line is ours (erp_mif.request); Django's own would duplicate it.
        "django.request": {"level": "ERROR", "handlers": ["console"], "propagate": False},
        "django.server": {"level": "WARNING", "handlers": ["console"], "propagate": False},
    },
}

# ------------------------------------------------------------------------------
# Error reporting: Sentry when SENTRY_DSN is set
# ------------------------------------------------------------------------------
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
