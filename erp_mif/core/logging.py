"""Structured logging: one JSON object per line, tagged with the current request's id and user."""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)

# Attributes every LogRecord has; anything else was passed through `extra=` and belongs in the line.
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "user_id"}
# Never written out, whatever a caller passes in `extra=`.
_SECRET_KEYS = {"password", "new_password", "current_password", "token", "access", "refresh", "authorization"}


class RequestContextFilter(logging.Filter):
    """Stamps every record with the request id and user id of the request being served, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            # Django logs failed responses ("django.request") after the middleware has reset the
            # context, but hands the request over: its id is still there.
            record.request_id = request_id_var.get() or getattr(getattr(record, "request", None), "request_id", None)
        if getattr(record, "user_id", None) is None:
            record.user_id = user_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                line[key] = "[redacted]" if key.lower() in _SECRET_KEYS else value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
