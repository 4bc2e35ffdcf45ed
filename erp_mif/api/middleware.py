"""Request-wide conventions that hold for every response, API or not."""

import logging
import re
import time
import uuid

from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils.functional import empty

from erp_mif.core.logging import request_id_var, user_id_var

from .errors import error_response

logger = logging.getLogger("erp_mif.request")
outage_logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Echoes a well-formed X-Request-ID or makes one, and exposes it to logging and to error bodies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = sent if _WELL_FORMED_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        request_token = request_id_var.set(request.request_id)
        user_token = user_id_var.set(None)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(request_token)
            user_id_var.reset(user_token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class RequestLogMiddleware:
    """Writes one structured line per request once the response is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        user_id = _user_id(request)
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(
            level,
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "user_id": user_id,
            },
        )
        return response


def _user_id(request) -> int | None:
    """The signed-in user's id, without loading a session the request never looked at.

    Evaluating Django's lazy `request.user` here would query the database once more per request
    (and fail again, turning a 503 into a 500, when the database is unreachable).
    """
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return user_id_var.get()
    return user.pk if user.is_authenticated else user_id_var.get()


class ApiSecurityHeadersMiddleware:
    """API answers are personal and never cached; the other security headers come from SecurityMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response.setdefault("X-Content-Type-Options", "nosniff")
            response.setdefault("X-Frame-Options", "DENY")
        return response


class DatabaseOutageMiddleware:
    """A database that cannot be reached outside DRF views (admin, Django's own pages) gives a 503 envelope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) or type(exception) is DatabaseError:
            outage_logger.error("database unavailable", exc_info=exception)
            return error_response(request, 503, "service_unavailable")
        return None
