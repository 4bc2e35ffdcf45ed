"""Readiness (/health/) checks the database and the storage; liveness (/health/live/) checks nothing."""

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from erp_mif.api import health

HEALTH_URL = "/api/v1/health/"
LIVE_URL = "/api/v1/health/live/"


@pytest.mark.django_db
def test_health_is_ok_when_everything_answers(api_client):
    response = api_client.get(HEALTH_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["storage"] == "ok"


@pytest.mark.django_db
def test_health_leaves_no_probe_file_behind(api_client):
    assert api_client.get(HEALTH_URL).status_code == 200

    _directories, files = default_storage.listdir("health") if default_storage.exists("health") else ([], [])
    assert files == []


@pytest.mark.django_db
def test_health_is_503_when_the_database_check_fails(api_client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", lambda: health.ERROR)

    response = api_client.get(HEALTH_URL)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "error"
    assert body["checks"]["storage"] == "ok"


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_unreachable(api_client, monkeypatch):
    def unreachable(self, *args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)

    response = api_client.get(HEALTH_URL)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "error"
    assert body["checks"]["storage"] == "ok"


@pytest.mark.django_db
def test_health_is_503_when_the_storage_fails(api_client, monkeypatch):
    def broken_save(*args, **kwargs):
        raise OSError("read-only file system")

    monkeypatch.setattr(default_storage, "save", broken_save)

    response = api_client.get(HEALTH_URL)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["storage"] == "error"


@pytest.mark.django_db
def test_health_needs_no_token_and_ignores_a_bad_one(api_client):
    assert api_client.get(HEALTH_URL, HTTP_AUTHORIZATION="Bearer garbage").status_code == 200
    assert api_client.get(LIVE_URL, HTTP_AUTHORIZATION="Bearer garbage").status_code == 200


@pytest.mark.django_db
def test_liveness_touches_no_dependency(api_client, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(health, "CHECKS", {})  # not consulted either

    with django_assert_num_queries(0):
        response = api_client.get(LIVE_URL)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_liveness_answers_without_any_database_access(api_client):
    """No django_db mark: any query would fail the test outright."""
    response = api_client.get(LIVE_URL)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
