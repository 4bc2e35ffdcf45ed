"""Small helpers shared by the API tests."""

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.accounts.factories import PASSWORD

LOGIN_URL = "/api/v1/auth/login/"


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
