"""Developer settings: debug on, everything embedded (SQLite, local files, console email)."""

from .base import *  # noqa: F403
from .base import env

ENVIRONMENT = "local"

DEBUG = env.bool("DEBUG", default=True)
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=["http://localhost:5173", "http://127.0.0.1:5173"])
