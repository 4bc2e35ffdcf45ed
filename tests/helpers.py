"""Small helpers shared by the API tests."""

import csv
import io
import json
from pathlib import Path

from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.accounts.factories import PASSWORD

LOGIN_URL = "/api/v1/auth/login/"
CONTRACT = json.loads((Path(settings.BASE_DIR) / "contract" / "frontend_contract.json").read_text(encoding="utf-8"))
REFUSAL_CODES = {401: "not_authenticated", 403: "permission_denied"}


def tokens(user) -> dict[str, str]:
    """A fresh access/refresh pair for `user`, as the login endpoint would give."""
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def bearer_client(user=None, *, access: str | None = None, **client_kwargs) -> APIClient:
    """A client that authenticates the real way, with an `Authorization: Bearer` header."""
    client = APIClient(**client_kwargs)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access or tokens(user)['access']}")
    return client


def login(client, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"email": email, "password": password}, format="json", **extra)


def assert_envelope(response, status: int, code: str) -> dict:
    """The response is the error envelope with this status and code; returns the body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["request_id"] == response["X-Request-ID"]
    assert set(body) <= {"detail", "code", "errors", "request_id"}
    return body


def assert_status(response, expected: int) -> None:
    """`expected`, and for a refusal the envelope with its contract code."""
    if expected in REFUSAL_CODES:
        assert_envelope(response, expected, REFUSAL_CODES[expected])
    else:
        assert response.status_code == expected, response.content


def validation_errors(response) -> dict:
    """The field errors of a 400 validation_error."""
    return assert_envelope(response, 400, "validation_error")["errors"]


def result_ids(response) -> list[int]:
    """The ids of a list page's rows, in their order."""
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def contract_fields(resource: str) -> list[str]:
    """The resource's readable fields in the contract's order: the columns of its CSV export."""
    return [name for name, spec in CONTRACT["resources"][resource].items() if not spec.get("write_only")]


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV export (header first), after checking the contract's csv convention."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
