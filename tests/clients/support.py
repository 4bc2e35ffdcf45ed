"""Helpers shared by the clients and equipment tests."""

import csv
import io
import json
from pathlib import Path

from django.conf import settings

from tests.helpers import assert_envelope

CONTRACT = json.loads((Path(settings.BASE_DIR) / "contract" / "frontend_contract.json").read_text(encoding="utf-8"))
REFUSAL_CODES = {401: "not_authenticated", 403: "permission_denied"}


def contract_fields(resource: str) -> list[str]:
    """The resource's readable fields in the contract's order: the columns of its CSV export."""
    return [name for name, spec in CONTRACT["resources"][resource].items() if not spec.get("write_only")]


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
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV export (header first), after checking the contract's csv convention."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
