"""Structured logs: one JSON line per request, tagged with its request id and user, and no secrets."""

import io
import json
import logging

import pytest
from django.test import Client

from erp_mif.accounts.choices import Role
from erp_mif.core.logging import JsonFormatter
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import bearer_client, login

REQUEST_LOGGER = "erp_mif.request"


@pytest.fixture
def log_output():
    """Everything the configured `console` handler writes (formatter and filter as in settings), at DEBUG."""
    root = logging.getLogger()
    handler = next(handler for handler in root.handlers if handler.get_name() == "console")
    stream = io.StringIO()
    previous_stream, previous_level = handler.setStream(stream), root.level
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.setLevel(previous_level)
        handler.setStream(previous_stream)


def _lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def _request_lines(stream) -> list[dict]:
    return [line for line in _lines(stream) if line["logger"] == REQUEST_LOGGER]


def test_console_handler_writes_json_lines():
    handler = next(handler for handler in logging.getLogger().handlers if handler.get_name() == "console")

    assert isinstance(handler.formatter, JsonFormatter)


@pytest.mark.django_db
def test_one_json_line_per_request_with_its_fields(log_output):
    user = UserFactory(role=Role.ADMIN)
    client = bearer_client(user)

    response = client.get("/api/v1/users/", HTTP_X_REQUEST_ID="req-42")

    assert response.status_code == 200
    [line] = _request_lines(log_output)
    assert line["level"] == "INFO"
    assert line["request_id"] == "req-42" == response["X-Request-ID"]
    assert line["user_id"] == user.pk
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/users/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], int | float)
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_each_request_gets_its_own_line(log_output, api_client):
    api_client.get("/api/v1/health/live/")
    api_client.get("/api/v1/auth/me/")

    lines = _request_lines(log_output)
    assert [(line["path"], line["status"]) for line in lines] == [
        ("/api/v1/health/live/", 200),
        ("/api/v1/auth/me/", 401),
    ]
    assert lines[0]["request_id"] != lines[1]["request_id"]
    assert all(line["user_id"] is None for line in lines)


@pytest.mark.django_db
def test_server_error_is_logged_at_error_with_the_request_id(log_output, monkeypatch):
    from erp_mif.accounts.api.views import MeView

    monkeypatch.setattr(MeView, "get", lambda self, request: 1 / 0)
    user = UserFactory()

    response = bearer_client(user).get("/api/v1/auth/me/")

    assert response.status_code == 500
    [line] = _request_lines(log_output)
    assert line["level"] == "ERROR"
    assert line["status"] == 500
    assert line["user_id"] == user.pk
    # The traceback is logged too, and every line (Django's own "Internal Server Error" included)
    # carries the request id.
    lines = [entry for entry in _lines(log_output) if entry["logger"].startswith(("erp_mif", "django"))]
    assert any("ZeroDivisionError" in entry.get("exception", "") for entry in lines)
    assert {entry["logger"] for entry in lines} >= {REQUEST_LOGGER, "django.request"}
    assert {entry["request_id"] for entry in lines} == {response["X-Request-ID"]}


@pytest.mark.django_db
def test_admin_requests_are_logged_with_the_session_user(log_output):
    user = UserFactory(role=Role.ADMIN)
    client = Client()
    client.force_login(user)

    assert client.get("/admin/").status_code == 200

    [line] = _request_lines(log_output)
    assert line["user_id"] == user.pk


@pytest.mark.django_db
def test_no_password_or_token_in_the_logs(log_output, api_client):
    user = UserFactory(email="secret@mif.ma")
    wrong_password = "Wr0ng-Secret-Passw0rd!"

    assert login(api_client, user.email, wrong_password).status_code == 401
    ok = login(api_client, user.email, PASSWORD)
    assert ok.status_code == 200
    access, refresh = ok.json()["access"], ok.json()["refresh"]
    refreshed = api_client.post("/api/v1/auth/refresh/", {"refresh": refresh}, format="json")
    assert refreshed.status_code == 200
    assert api_client.post("/api/v1/auth/refresh/", {"refresh": refresh}, format="json").status_code == 401
    authed = bearer_client(access=access)
    assert authed.get("/api/v1/auth/me/").status_code == 200
    assert (
        authed.post("/api/v1/auth/logout/", {"refresh": refreshed.json()["refresh"]}, format="json").status_code == 204
    )
    for _ in range(5):
        login(api_client, user.email, wrong_password)
    assert login(api_client, user.email, PASSWORD).status_code == 429

    output = log_output.getvalue()
    assert _request_lines(log_output)  # something was logged
    for secret in (PASSWORD, wrong_password, access, refresh, *refreshed.json().values()):
        assert secret not in output
