"""Application errors: a refusal with a contract code, raised by services, views, the admin and jobs alike.

Nothing here knows HTTP frameworks: `erp_mif.api.errors` renders these into the API's error envelope
and the admin shows them on its forms.
"""

from django.utils.translation import gettext_lazy as _

DEFAULT_MESSAGES = {
    "validation_error": _("Invalid input."),
    "parse_error": _("Malformed request body."),
    "invalid_credentials": _("No active account found with the given credentials."),
    "not_authenticated": _("Authentication credentials were not provided."),
    "token_not_valid": _("Token is invalid or expired."),
    "permission_denied": _("You do not have permission to perform this action."),
    "not_found": _("Not found."),
    "method_not_allowed": _("Method not allowed."),
    "unsupported_media_type": _("Unsupported media type in request."),
    "not_acceptable": _("Could not satisfy the request Accept header."),
    "invalid_transition": _("This transition is not allowed from the current status."),
    "schedule_conflict": _("A technician is already booked at that time."),
    "protected": _("This record is still referenced by other records."),
    "precondition_failed": _("The record has changed since it was read (If-Match)."),
    "file_too_large": _("The file is too large."),
    "unsupported_file_type": _("This file type is not accepted."),
    "idempotency_key_mismatch": _("This Idempotency-Key was already used with another request."),
    "throttled": _("Too many requests. Try again later."),
    "server_error": _("Internal server error."),
    "service_unavailable": _("Service temporarily unavailable."),
    "bad_request": _("Bad request."),
}


class ApplicationError(Exception):
    """A refusal with a contract `code`, the HTTP status it answers with, a message and optional field errors."""

    def __init__(self, code: str, detail=None, *, status_code: int, errors: dict | None = None):
        self.status_code = status_code
        self.code = code
        self.errors = errors
        self.detail = detail or DEFAULT_MESSAGES.get(code, code)
        super().__init__(str(self.detail))


def invalid(errors: dict, detail=None) -> ApplicationError:
    """A 400 validation_error with field errors, for rules checked outside a serializer."""
    normalised = {field: messages if isinstance(messages, list) else [messages] for field, messages in errors.items()}
    return ApplicationError("validation_error", detail, status_code=400, errors=normalised)
