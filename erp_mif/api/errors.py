"""One error envelope for every 4xx and 5xx: {detail, code, errors?, request_id}.

Services raise `erp_mif.core.errors.ApplicationError` with a contract code; `exception_handler` turns it, DRF's
exceptions, Django's 404/PermissionDenied/ProtectedError and database outages into the envelope.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from erp_mif.core.errors import DEFAULT_MESSAGES, ApplicationError

logger = logging.getLogger(__name__)

# DRF exception classes whose code is not the contract's.
_CODE_BY_DRF_CLASS = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "parse_error",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "token_not_valid",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def envelope(request, code: str, detail=None, errors=None) -> dict:
    body = {"detail": str(detail or DEFAULT_MESSAGES.get(code, code)), "code": code}
    if errors:
        body["errors"] = errors
    body["request_id"] = getattr(request, "request_id", None) or getattr(
        getattr(request, "_request", None), "request_id", None
    )
    return body


def error_response(request, status_code: int, code: str, detail=None) -> JsonResponse:
    """The envelope as a plain Django response, for errors raised outside DRF."""
    return JsonResponse(envelope(request, code, detail), status=status_code, json_dumps_params={"ensure_ascii": False})


def _flatten_first_message(detail) -> str:
    if isinstance(detail, dict):
        detail = detail.get("detail", next(iter(detail.values()), ""))
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return str(detail)


def _drf_code(exc: exceptions.APIException) -> str:
    for klass in type(exc).__mro__:
        if klass in _CODE_BY_DRF_CLASS:
            return _CODE_BY_DRF_CLASS[klass]
    return "bad_request" if exc.status_code < 500 else "server_error"


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {key: value if isinstance(value, list | dict) else [value] for key, value in detail.items()}
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every failure of an API view ends here."""
    request = context.get("request")
    headers = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = ApplicationError("file_too_large", status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    elif isinstance(exc, SuspiciousOperation):
        # Too many fields or files in a form, a malformed multipart body...: the client's fault.
        exc = ApplicationError("parse_error", status_code=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = ApplicationError("protected", status_code=status.HTTP_409_CONFLICT)
    elif isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError:
        logger.error("database unavailable", exc_info=exc)
        exc = ApplicationError("service_unavailable", status_code=status.HTTP_503_SERVICE_UNAVAILABLE)

    if not isinstance(exc, ApplicationError | exceptions.APIException):
        logger.error("unhandled error", exc_info=exc)
        body = envelope(request, "server_error")
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)

    if isinstance(exc, ApplicationError):
        body = envelope(request, exc.code, exc.detail, exc.errors)
    elif isinstance(exc, exceptions.ValidationError):
        body = envelope(request, "validation_error", DEFAULT_MESSAGES["validation_error"], _field_errors(exc.detail))
    elif isinstance(exc, exceptions.ParseError):
        # DRF's parser messages are English only and quote the decoder; the contract wants the language.
        body = envelope(request, "parse_error")
    else:
        body = envelope(request, _drf_code(exc), _flatten_first_message(exc.detail))

    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    return Response(body, status=exc.status_code, headers=headers)


# Django's own error views (unknown paths, uncaught errors outside DRF), answered in the envelope.
def bad_request(request, exception=None):
    return error_response(request, 400, "bad_request")


def permission_denied(request, exception=None):
    return error_response(request, 403, "permission_denied")


def page_not_found(request, exception=None):
    return error_response(request, 404, "not_found")


def server_error(request):
    return error_response(request, 500, "server_error")
