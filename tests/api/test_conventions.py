"""Conventions every API response follows: request id, pagination, security headers, CORS, ETag, idempotency."""

import importlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.utils import timezone

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from erp_mif.core.models import IdempotencyRecord
from tests.accounts.factories import UserFactory
from tests.helpers import assert_envelope

USERS_URL = "/api/v1/users/"
ORIGIN = "https://app.mif.ma"
GENERATED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@pytest.fixture
def admin_client(make_client):
    return make_client(Role.ADMIN)


# ------------------------------------------------------------------------------
# X-Request-ID
# ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["abc", "A.b-c_9", "x" * 64, "0f8e7a6b-5c4d-3e2f-1a0b-9c8d7e6f5a4b"])
def test_well_formed_request_id_is_echoed(api_client, sent):
    assert api_client.get("/api/v1/health/live/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sent",
    ["x" * 65, "two words", "semi;colon", "slash/slash", "caf\u00e9", "", "line\nbreak"],
    ids=["too-long", "space", "semicolon", "slash", "unicode", "empty", "newline"],
)
def test_malformed_request_id_is_replaced(api_client, sent):
    received = api_client.get("/api/v1/health/live/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]

    assert received != sent
    assert GENERATED_REQUEST_ID.fullmatch(received)


@pytest.mark.django_db
def test_every_response_gets_a_fresh_request_id(api_client):
    first = api_client.get("/api/v1/health/live/")["X-Request-ID"]
    second = api_client.get("/api/v1/health/live/")["X-Request-ID"]

    assert GENERATED_REQUEST_ID.fullmatch(first)
    assert first != second


@pytest.mark.django_db
def test_request_id_is_set_outside_the_api_too(client):
    assert GENERATED_REQUEST_ID.fullmatch(client.get("/admin/login/")["X-Request-ID"])


# ------------------------------------------------------------------------------
# Pagination
# ------------------------------------------------------------------------------
def _make_users(count: int) -> None:
    User.objects.bulk_create(User(email=f"bulk{n:03}@mif.ma", role=Role.VIEWER) for n in range(count))


@pytest.mark.django_db
def test_collection_is_paginated_by_25_by_default(admin_client):
    _make_users(29)  # + the admin: 30

    body = admin_client.get(USERS_URL).json()

    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 30
    assert len(body["results"]) == 25
    assert body["previous"] is None
    assert body["next"].endswith("/api/v1/users/?page=2")


@pytest.mark.django_db
def test_second_page_holds_the_rest(admin_client):
    _make_users(29)

    body = admin_client.get(USERS_URL, {"page": 2}).json()

    assert len(body["results"]) == 5
    assert body["next"] is None
    assert body["previous"].endswith("/api/v1/users/")


@pytest.mark.django_db
def test_page_size_is_honoured(admin_client):
    _make_users(9)

    body = admin_client.get(USERS_URL, {"page_size": 4, "page": 3}).json()

    assert body["count"] == 10
    assert len(body["results"]) == 2
    assert "page_size=4" in body["previous"]


@pytest.mark.django_db
def test_page_size_is_capped_at_100(admin_client):
    _make_users(104)

    body = admin_client.get(USERS_URL, {"page_size": 1000}).json()

    assert body["count"] == 105
    assert len(body["results"]) == 100


@pytest.mark.django_db
def test_page_past_the_end_is_not_found(admin_client):
    _make_users(3)

    assert_envelope(admin_client.get(USERS_URL, {"page": 2}), 404, "not_found")


@pytest.mark.django_db
def test_pages_do_not_overlap(admin_client):
    _make_users(49)

    first = admin_client.get(USERS_URL, {"page": 1}).json()["results"]
    second = admin_client.get(USERS_URL, {"page": 2}).json()["results"]

    ids = [user["id"] for user in first + second]
    assert len(ids) == len(set(ids)) == 50


# ------------------------------------------------------------------------------
# Security headers
# ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("admin", USERS_URL),
        ("anonymous", USERS_URL),
        ("anonymous", "/api/v1/health/live/"),
        ("anonymous", "/api/v1/no-such-thing/"),
    ],
)
def test_api_responses_carry_the_security_headers(api_client, make_client, who, url):
    client = make_client(Role.ADMIN) if who == "admin" else api_client

    response = client.get(url)

    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"]


@pytest.mark.django_db
def test_error_responses_carry_the_security_headers(api_client):
    response = api_client.post("/api/v1/auth/login/", {"email": "x@mif.ma", "password": "nope"}, format="json")

    assert response.status_code == 401
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


# ------------------------------------------------------------------------------
# CORS
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_allowed_origin_is_granted_and_headers_exposed(admin_client):
    response = admin_client.get(USERS_URL, HTTP_ORIGIN=ORIGIN)

    assert response["Access-Control-Allow-Origin"] == ORIGIN
    exposed = {header.strip().lower() for header in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed >= {"etag", "x-request-id", "content-disposition"}


@pytest.mark.django_db
def test_other_origin_is_not_granted(admin_client):
    response = admin_client.get(USERS_URL, HTTP_ORIGIN="https://evil.example.com")

    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_preflight_allows_the_contract_headers(api_client):
    requested = "authorization, content-type, if-match, idempotency-key, x-request-id, accept-language"

    response = api_client.options(
        USERS_URL,
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=requested,
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    allowed = {header.strip().lower() for header in response["Access-Control-Allow-Headers"].split(",")}
    assert allowed >= {header.strip() for header in requested.split(",")}
    allowed_methods = {method.strip() for method in response["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} <= allowed_methods


@pytest.mark.django_db
def test_preflight_from_another_origin_is_not_granted(api_client):
    response = api_client.options(
        USERS_URL,
        HTTP_ORIGIN="https://evil.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )

    assert "Access-Control-Allow-Origin" not in response


# ------------------------------------------------------------------------------
# ETag and If-Match
# ------------------------------------------------------------------------------
@pytest.fixture
def target():
    return UserFactory(role=Role.VIEWER, first_name="Amine")


def _url(user) -> str:
    return f"{USERS_URL}{user.pk}/"


@pytest.mark.django_db
def test_retrieve_carries_an_etag(admin_client, target):
    response = admin_client.get(_url(target))

    assert response.status_code == 200
    assert re.fullmatch(r'(W/)?"[^"]+"', response["ETag"])


@pytest.mark.django_db
def test_list_carries_no_etag(admin_client):
    assert "ETag" not in admin_client.get(USERS_URL)


@pytest.mark.django_db
def test_create_and_update_carry_the_etag_of_the_new_version(admin_client, target):
    created = admin_client.post(USERS_URL, {"email": "new@mif.ma", "role": "viewer"}, format="json")
    assert created.status_code == 201
    assert created["ETag"] == admin_client.get(f"{USERS_URL}{created.json()['id']}/")["ETag"]

    updated = admin_client.patch(_url(target), {"first_name": "Karim"}, format="json")
    assert updated.status_code == 200
    assert updated["ETag"] == admin_client.get(_url(target))["ETag"]


@pytest.mark.django_db
def test_etag_changes_when_the_record_changes(admin_client, target):
    before = admin_client.get(_url(target))["ETag"]
    assert admin_client.get(_url(target))["ETag"] == before  # stable while nothing changes

    User.objects.filter(pk=target.pk).update(phone="+212600000000")

    assert admin_client.get(_url(target))["ETag"] != before


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["patch", "put"])
def test_matching_if_match_updates(admin_client, target, method):
    etag = admin_client.get(_url(target))["ETag"]
    body = {"email": target.email, "role": "viewer", "first_name": "Karim"}

    response = getattr(admin_client, method)(_url(target), body, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    target.refresh_from_db()
    assert target.first_name == "Karim"


@pytest.mark.django_db
def test_weak_if_match_is_compared_on_the_opaque_value(admin_client, target):
    etag = admin_client.get(_url(target))["ETag"]

    response = admin_client.patch(_url(target), {"first_name": "Karim"}, format="json", HTTP_IF_MATCH=f"W/{etag}")

    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_if_match_among_several_tags_or_star_updates(admin_client, target):
    etag = admin_client.get(_url(target))["ETag"]

    listed = admin_client.patch(_url(target), {"first_name": "A"}, format="json", HTTP_IF_MATCH=f'"other", {etag}')
    star = admin_client.patch(_url(target), {"first_name": "B"}, format="json", HTTP_IF_MATCH="*")

    assert listed.status_code == 200
    assert star.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["patch", "put"])
def test_stale_if_match_is_precondition_failed_and_changes_nothing(admin_client, target, method):
    stale = admin_client.get(_url(target))["ETag"]
    assert admin_client.patch(_url(target), {"last_name": "Other writer"}, format="json").status_code == 200
    body = {"email": target.email, "role": "viewer", "first_name": "Karim"}

    response = getattr(admin_client, method)(_url(target), body, format="json", HTTP_IF_MATCH=stale)

    assert_envelope(response, 412, "precondition_failed")
    target.refresh_from_db()
    assert target.first_name == "Amine"
    assert target.last_name == "Other writer"


@pytest.mark.django_db
def test_stale_weak_if_match_is_precondition_failed(admin_client, target):
    stale = admin_client.get(_url(target))["ETag"]
    User.objects.filter(pk=target.pk).update(phone="0600")

    response = admin_client.patch(_url(target), {"first_name": "Karim"}, format="json", HTTP_IF_MATCH=f"W/{stale}")

    assert_envelope(response, 412, "precondition_failed")


@pytest.mark.django_db
def test_update_without_if_match_is_allowed(admin_client, target):
    assert admin_client.patch(_url(target), {"first_name": "Karim"}, format="json").status_code == 200


# ------------------------------------------------------------------------------
# Idempotency-Key
# ------------------------------------------------------------------------------
NEW_USER = {"email": "idem@mif.ma", "role": "viewer", "first_name": "Idem"}


def _post(client, body=NEW_USER, key="key-1"):
    return client.post(USERS_URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_same_key_and_body_replays_the_first_answer(admin_client):
    first = _post(admin_client)
    second = _post(admin_client)

    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert second["ETag"] == first["ETag"]
    assert User.objects.filter(email="idem@mif.ma").count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_a_mismatch(admin_client):
    assert _post(admin_client).status_code == 201

    response = _post(admin_client, {**NEW_USER, "email": "other@mif.ma"})

    assert_envelope(response, 422, "idempotency_key_mismatch")
    assert not User.objects.filter(email="other@mif.ma").exists()


@pytest.mark.django_db
def test_same_key_on_another_path_is_a_mismatch(admin_client):
    assert _post(admin_client).status_code == 201

    response = admin_client.post("/api/v1/auth/logout/", {"refresh": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert_envelope(response, 422, "idempotency_key_mismatch")


@pytest.mark.django_db
def test_same_key_from_another_user_is_independent(admin_client, make_client):
    other_admin = make_client(Role.ADMIN)
    assert _post(admin_client).status_code == 201

    response = _post(other_admin, {**NEW_USER, "email": "second@mif.ma"})

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert User.objects.filter(email__in=["idem@mif.ma", "second@mif.ma"]).count() == 2


@pytest.mark.django_db
def test_failed_request_does_not_burn_the_key(admin_client):
    failed = _post(admin_client, {**NEW_USER, "email": "not-an-email"})
    assert failed.status_code == 400
    assert not IdempotencyRecord.objects.exists()

    retried = _post(admin_client)

    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    assert User.objects.filter(email="idem@mif.ma").exists()


@pytest.mark.django_db
def test_refused_request_does_not_burn_the_key(make_client):
    viewer = make_client(Role.VIEWER)

    assert _post(viewer).status_code == 403
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_key_older_than_24_hours_is_new(admin_client):
    first = _post(admin_client)
    assert first.status_code == 201
    User.objects.filter(email="idem@mif.ma").delete()

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        again = _post(admin_client)

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert again.json()["id"] != first.json()["id"]
    assert User.objects.filter(email="idem@mif.ma").count() == 1


@pytest.mark.django_db
def test_key_younger_than_24_hours_still_replays(admin_client):
    first = _post(admin_client)

    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        again = _post(admin_client)

    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


@pytest.mark.django_db
def test_post_without_key_is_not_recorded(admin_client):
    assert admin_client.post(USERS_URL, NEW_USER, format="json").status_code == 201
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_overlong_key_is_a_validation_error(admin_client):
    body = assert_envelope(_post(admin_client, key="k" * 256), 400, "validation_error")

    assert "Idempotency-Key" in body["errors"]
    assert not User.objects.filter(email="idem@mif.ma").exists()


# ------------------------------------------------------------------------------
# Schema and docs are public
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_schema_is_public(api_client):
    response = api_client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert b"openapi" in response.content


@pytest.mark.django_db
def test_docs_are_public(api_client):
    response = api_client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


@pytest.mark.django_db
def test_schema_ignores_a_stale_token(api_client):
    assert api_client.get("/api/v1/schema/", HTTP_AUTHORIZATION="Bearer garbage").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/users/", {"is_active": "2089"}),
        ("/api/v1/clients/", {"is_active": "maybe"}),
        ("/api/v1/sites/", {"is_active": "2"}),
        ("/api/v1/technicians/", {"is_active": "yes please"}),
        ("/api/v1/maintenance-plans/", {"is_active": "-1"}),
    ],
)
def test_a_boolean_filter_with_another_value_is_a_400(make_client, url, query):
    body = assert_envelope(make_client("admin").get(url, query), 400, "validation_error")

    assert set(body["errors"]) == {"is_active"}


@pytest.mark.django_db
def test_a_bad_host_is_answered_with_the_security_headers(api_client):
    response = api_client.get("/api/v1/health/live/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


def test_a_cors_preflight_is_answered_with_the_security_headers(api_client):
    response = api_client.options(
        "/api/v1/clients/", HTTP_ORIGIN="https://app.mif.ma", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


# ------------------------------------------------------------------------------
# Search: bounded, so that no query can take the database down
# ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "search",
    [" ".join("abcdefghijk"), " ".join(["a"] * 200), "x" * 101, ",".join(["a"] * 1950)],
    ids=["11 terms", "200 terms", "a 101-character term", "1950 terms"],
)
@pytest.mark.parametrize("url", ["/api/v1/clients/", "/api/v1/interventions/", "/api/v1/equipment/export/"])
def test_a_search_of_too_many_or_too_long_terms_is_a_400_before_any_query(
    make_client, url, search, django_assert_num_queries
):
    api = make_client("admin")

    with django_assert_num_queries(0):
        response = api.get(url, {"search": search})

    body = assert_envelope(response, 400, "validation_error")
    assert set(body["errors"]) == {"search"}


@pytest.mark.django_db
def test_a_search_of_ten_terms_is_answered(make_client):
    assert make_client("admin").get("/api/v1/clients/", {"search": " ".join("abcdefghij")}).status_code == 200


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_a_web_workers_connections_cancel_statements_past_the_request_timeout(settings):
    importlib.import_module("erp_mif.wsgi")  # what gunicorn loads
    settings.REQUEST_STATEMENT_TIMEOUT = 7
    web = connections.create_connection("default")
    try:
        with web.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone() == ("7s",)
    finally:
        web.close()
        # The rest of the tests are no web worker.
        connection_created.disconnect(dispatch_uid="erp_mif.api.database.limit_statement_time")
