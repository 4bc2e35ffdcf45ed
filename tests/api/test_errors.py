"""The error envelope {detail, code, errors?, request_id} on every 4xx and 5xx, in French or English."""

from datetime import timedelta

import jwt
import pytest
import time_machine
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from erp_mif import urls as project_urls
from erp_mif.accounts.api.views import UserViewSet
from erp_mif.accounts.choices import Role
from tests.accounts.factories import UserFactory
from tests.helpers import assert_envelope, bearer_client, tokens

USERS_URL = "/api/v1/users/"
ME_URL = "/api/v1/auth/me/"


# A URLconf with the project's routes and error handlers plus plain Django views that fail
# (used with @pytest.mark.urls(__name__)), for errors raised outside DRF.
def _boom(request):
    raise RuntimeError("boom")


def _database_down(request):
    raise OperationalError("could not connect to server")


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("plain/boom/", _boom),
    path("plain/db-down/", _database_down),
    path("plain/ok/", _ok),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def admin_client(make_client):
    return make_client(Role.ADMIN)


def _unreachable(self, *args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.fixture
def database_down(monkeypatch):
    """Every new cursor fails as when PostgreSQL is unreachable."""
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", _unreachable)


# ------------------------------------------------------------------------------
# 400
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_validation_error_lists_the_errors_per_field(admin_client):
    response = admin_client.post(USERS_URL, {"email": "not-an-email", "role": "pilot"}, format="json")

    body = assert_envelope(response, 400, "validation_error")
    assert set(body["errors"]) == {"email", "role"}
    assert all(isinstance(messages, list) and messages for messages in body["errors"].values())


@pytest.mark.django_db
def test_missing_required_field_is_a_validation_error(admin_client):
    body = assert_envelope(admin_client.post(USERS_URL, {}, format="json"), 400, "validation_error")

    assert {"email", "role"} <= set(body["errors"])


@pytest.mark.django_db
def test_malformed_json_is_a_parse_error(admin_client):
    response = admin_client.post(USERS_URL, '{"email": "a@mif.ma",', content_type="application/json")

    body = assert_envelope(response, 400, "parse_error")
    assert "errors" not in body


# ------------------------------------------------------------------------------
# 401
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_no_token_is_not_authenticated(api_client):
    response = api_client.get(ME_URL)

    assert_envelope(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    ["Bearer garbage", "Bearer a.b.c", "Bearer ", "Bearer one two"],
    ids=["garbage", "three-parts", "empty", "two-words"],
)
def test_malformed_token_is_token_not_valid(api_client, authorization):
    response = api_client.get(ME_URL, HTTP_AUTHORIZATION=authorization)

    assert_envelope(response, 401, "token_not_valid")


@pytest.mark.django_db
def test_expired_token_is_token_not_valid():
    user = UserFactory()
    client = bearer_client(user)
    assert client.get(ME_URL).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.get(ME_URL)

    assert_envelope(response, 401, "token_not_valid")


@pytest.mark.django_db
def test_token_with_a_past_exp_is_token_not_valid():
    token = AccessToken.for_user(UserFactory())
    token.set_exp(from_time=timezone.now() - timedelta(hours=1), lifetime=timedelta(minutes=15))

    assert_envelope(bearer_client(access=str(token)).get(ME_URL), 401, "token_not_valid")


@pytest.mark.django_db
def test_wrongly_signed_token_is_token_not_valid():
    user = UserFactory()
    claims = jwt.decode(tokens(user)["access"], options={"verify_signature": False})
    forged = jwt.encode(claims, "another-key-0123456789abcdef0123456789", algorithm="HS256")

    assert_envelope(bearer_client(access=forged).get(ME_URL), 401, "token_not_valid")


@pytest.mark.django_db
def test_refresh_token_used_as_access_is_token_not_valid():
    user = UserFactory()

    assert_envelope(bearer_client(access=tokens(user)["refresh"]).get(ME_URL), 401, "token_not_valid")


@pytest.mark.django_db
def test_deactivated_users_token_is_token_not_valid():
    user = UserFactory()
    client = bearer_client(user)
    user.is_active = False
    user.save()

    assert_envelope(client.get(ME_URL), 401, "token_not_valid")


@pytest.mark.django_db
def test_deleted_users_token_is_token_not_valid():
    user = UserFactory()
    client = bearer_client(user)
    user.delete()

    assert_envelope(client.get(ME_URL), 401, "token_not_valid")


# ------------------------------------------------------------------------------
# 403, 404, 405, 429
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_action_outside_the_role_is_permission_denied(make_client):
    assert_envelope(make_client(Role.VIEWER).get(USERS_URL), 403, "permission_denied")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_unknown_api_path_is_not_found_in_the_envelope(api_client, method):
    response = getattr(api_client, method)("/api/v1/no-such-thing/")

    assert_envelope(response, 404, "not_found")


@pytest.mark.django_db
def test_unknown_api_path_is_not_found_even_for_a_post_without_csrf_token():
    """A browser-like client (CSRF enforced) must get the 404 envelope, not Django's CSRF page."""
    client = APIClient(enforce_csrf_checks=True)

    assert_envelope(client.post("/api/v1/no-such-thing/", {}, format="json"), 404, "not_found")


@pytest.mark.django_db
def test_api_path_without_its_trailing_slash_is_not_found(admin_client):
    assert_envelope(admin_client.get("/api/v1/users"), 404, "not_found")


@pytest.mark.django_db
def test_non_integer_id_is_not_found(admin_client):
    assert_envelope(admin_client.get(f"{USERS_URL}abc/"), 404, "not_found")


@pytest.mark.django_db
def test_unknown_record_is_not_found(admin_client):
    assert_envelope(admin_client.get(f"{USERS_URL}999999/"), 404, "not_found")


@pytest.mark.django_db
def test_unknown_path_outside_the_api_is_not_found_in_the_envelope():
    assert_envelope(Client().get("/no-such-page/"), 404, "not_found")


@pytest.mark.django_db
def test_wrong_method_is_method_not_allowed(admin_client):
    assert_envelope(admin_client.delete(USERS_URL), 405, "method_not_allowed")
    assert_envelope(admin_client.put(ME_URL, {}, format="json"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_throttled_has_the_envelope_and_retry_after(api_client):
    url = "/api/v1/auth/password-reset/"
    for _ in range(5):
        assert api_client.post(url, {"email": "x@mif.ma"}, format="json").status_code == 204

    response = api_client.post(url, {"email": "x@mif.ma"}, format="json")

    assert_envelope(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


# ------------------------------------------------------------------------------
# 500 and 503
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_uncaught_error_in_an_api_view_is_server_error(monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(UserViewSet, "list", broken)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(UserFactory(role=Role.ADMIN))

    response = client.get(USERS_URL)

    body = assert_envelope(response, 500, "server_error")
    assert "secret internals" not in response.content.decode()
    assert "errors" not in body


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_uncaught_error_outside_drf_is_server_error():
    response = Client(raise_request_exception=False).get("/plain/boom/")

    assert_envelope(response, 500, "server_error")
    assert "boom" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_database_error_outside_drf_is_service_unavailable():
    assert_envelope(Client().get("/plain/db-down/"), 503, "service_unavailable")


@pytest.mark.django_db
def test_unreachable_database_in_an_api_view_is_service_unavailable(database_down):
    user = UserFactory.build(pk=1, role=Role.ADMIN)
    client = APIClient()
    client.force_authenticate(user)

    assert_envelope(client.get(USERS_URL), 503, "service_unavailable")


@pytest.mark.django_db
def test_unreachable_database_during_token_authentication_is_service_unavailable(database_down):
    access = AccessToken()
    access["user_id"] = "1"

    assert_envelope(bearer_client(access=str(access)).get(ME_URL), 503, "service_unavailable")


@pytest.mark.django_db
def test_unreachable_database_in_the_admin_is_service_unavailable(client, monkeypatch):
    client.force_login(UserFactory(role=Role.ADMIN))
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", _unreachable)

    response = client.get("/admin/accounts/user/")

    assert_envelope(response, 503, "service_unavailable")


# ------------------------------------------------------------------------------
# request_id and language
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_request_id_in_the_body_is_the_one_sent(api_client):
    response = api_client.get(ME_URL, HTTP_X_REQUEST_ID="front-1234.abc_DEF")

    assert response["X-Request-ID"] == "front-1234.abc_DEF"
    assert response.json()["request_id"] == "front-1234.abc_DEF"


@pytest.mark.django_db
def test_request_id_in_the_body_is_the_generated_one(api_client):
    response = api_client.get("/api/v1/no-such-thing/", HTTP_X_REQUEST_ID="not valid!")

    assert response["X-Request-ID"] != "not valid!"
    assert response.json()["request_id"] == response["X-Request-ID"]


# Each status, in French by default and in English on request; the code is the same.
LANGUAGE_CASES = [
    (
        "not_authenticated",
        "Informations d'authentification non fournies.",
        "Authentication credentials were not provided.",
    ),
    ("token_not_valid", "Le type de jeton fourni n'est pas valide", "Given token not valid for any token type"),
    ("permission_denied", "Vous n'avez pas la permission", "You do not have permission"),
    ("not_found", "Non trouvé.", "Not found."),
    ("method_not_allowed", "non autorisée", "not allowed"),
    ("parse_error", "Corps de requête malformé.", "Malformed request body."),
    ("validation_error", "Saisie invalide.", "Invalid input."),
    ("server_error", "Erreur interne du serveur.", "Internal server error."),
    ("service_unavailable", "Service temporairement indisponible.", "Service temporarily unavailable."),
    ("invalid_credentials", "Aucun compte actif", "No active account found with the given credentials."),
]


def _provoke(code: str, monkeypatch, **headers):
    """Send one request that fails with `code`."""
    admin = UserFactory(role=Role.ADMIN)
    anonymous = APIClient(raise_request_exception=False)
    signed_in = APIClient(raise_request_exception=False)
    signed_in.force_authenticate(admin)
    if code == "not_authenticated":
        return anonymous.get(ME_URL, **headers)
    if code == "token_not_valid":
        return anonymous.get(ME_URL, HTTP_AUTHORIZATION="Bearer garbage", **headers)
    if code == "permission_denied":
        viewer = APIClient()
        viewer.force_authenticate(UserFactory(role=Role.VIEWER))
        return viewer.get(USERS_URL, **headers)
    if code == "not_found":
        return anonymous.get("/api/v1/no-such-thing/", **headers)
    if code == "method_not_allowed":
        return signed_in.delete(USERS_URL, **headers)
    if code == "parse_error":
        return signed_in.post(USERS_URL, "{", content_type="application/json", **headers)
    if code == "validation_error":
        return signed_in.post(USERS_URL, {}, format="json", **headers)
    if code == "server_error":
        monkeypatch.setattr(UserViewSet, "list", lambda *args, **kwargs: 1 / 0)
        return signed_in.get(USERS_URL, **headers)
    if code == "service_unavailable":
        monkeypatch.setattr(UserViewSet, "list", lambda *args, **kwargs: _database_down(None))
        return signed_in.get(USERS_URL, **headers)
    if code == "invalid_credentials":
        return anonymous.post(
            "/api/v1/auth/login/", {"email": admin.email, "password": "wrong"}, format="json", **headers
        )
    raise AssertionError(code)


STATUS_BY_CODE = {
    "not_authenticated": 401,
    "token_not_valid": 401,
    "permission_denied": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "parse_error": 400,
    "validation_error": 400,
    "server_error": 500,
    "service_unavailable": 503,
    "invalid_credentials": 401,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "french", "english"), LANGUAGE_CASES, ids=[case[0] for case in LANGUAGE_CASES])
def test_detail_is_french_by_default(code, french, english, monkeypatch):
    body = assert_envelope(_provoke(code, monkeypatch), STATUS_BY_CODE[code], code)

    assert french in body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "french", "english"), LANGUAGE_CASES, ids=[case[0] for case in LANGUAGE_CASES])
def test_detail_is_english_on_request_and_the_code_unchanged(code, french, english, monkeypatch):
    body = assert_envelope(_provoke(code, monkeypatch, HTTP_ACCEPT_LANGUAGE="en"), STATUS_BY_CODE[code], code)

    assert english in body["detail"]


@pytest.mark.django_db
def test_field_errors_follow_the_language(admin_client):
    french = admin_client.post(USERS_URL, {"role": "admin"}, format="json").json()
    english = admin_client.post(USERS_URL, {"role": "admin"}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()

    assert french["errors"]["email"] == ["Ce champ est obligatoire."]
    assert english["errors"]["email"] == ["This field is required."]


@pytest.mark.django_db
def test_too_many_query_parameters_or_a_huge_body_are_client_errors(make_client, api_client):
    many = "&".join(f"f{n}=1" for n in range(1100))

    assert make_client("admin").get(f"/api/v1/users/?{many}").status_code == 400
    huge = api_client.post("/api/v1/auth/login/", {"email": "x" * 3_000_000, "password": "y"}, format="json")
    assert huge.status_code == 413
    assert huge.json()["code"] == "file_too_large"


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_parse_error(make_client, depth):
    body = "[" * depth + "]" * depth

    response = make_client("manager").post("/api/v1/clients/", body, content_type="application/json")

    assert_envelope(response, 400, "parse_error")
