"""Unicode twins of an email (with a dotless i, a long s, full-width letters) are never a second account:
emails are stored and compared in one normalised form (NFKC, case-folded, ASCII), unique in the database."""

import pytest
from django.db import IntegrityError, connection

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import assert_envelope, login

pytestmark = pytest.mark.django_db

DOTLESS_I_ADMIN = "adm\u0131n@mif.ma"  # no ASCII twin once folded: refused
LONG_S_USER = "u\u017fer@mif.ma"  # folds to user@mif.ma
FULL_WIDTH_USER = "\uff35\uff33\uff25\uff32@mif.ma"  # folds to user@mif.ma
USERS = "/api/v1/users/"
TECHNICIANS = "/api/v1/technicians/"


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@mif.ma", role=Role.ADMIN)


@pytest.fixture
def viewer(db):
    return UserFactory(email="user@mif.ma", role=Role.VIEWER)


def _technician(email: str) -> dict:
    return {"email": email, "first_name": "Omar", "last_name": "Alaoui"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (USERS, {"email": DOTLESS_I_ADMIN, "role": "viewer"}),
        (USERS, {"email": LONG_S_USER, "role": "viewer"}),
        (USERS, {"email": FULL_WIDTH_USER, "role": "viewer"}),
        (TECHNICIANS, _technician(DOTLESS_I_ADMIN)),
        (TECHNICIANS, _technician(LONG_S_USER)),
    ],
)
def test_a_twin_email_is_refused_and_every_login_still_works(make_client, api_client, admin, viewer, path, body):
    response = make_client(Role.ADMIN).post(path, body, format="json")

    error = assert_envelope(response, 400, "validation_error")
    assert set(error["errors"]) == {"email"}
    assert User.objects.count() == 3  # admin, viewer, and the caller
    for email in ("admin@mif.ma", "ADMIN@mif.ma", "user@mif.ma"):
        assert login(api_client, email).status_code == 200, email


def test_an_email_is_stored_in_its_normalised_form(make_client):
    response = make_client(Role.ADMIN).post(USERS, {"email": "  Karim.Benani@MIF.ma ", "role": "viewer"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["email"] == "karim.benani@mif.ma"


def test_login_and_password_reset_find_the_account_whatever_the_case_or_width(api_client, viewer):
    assert login(api_client, FULL_WIDTH_USER.upper()).status_code == 200
    assert api_client.post("/api/v1/auth/password-reset/", {"email": "User@Mif.ma"}, format="json").status_code == 204


def test_the_database_refuses_an_email_not_in_its_normalised_form(viewer):
    """Every path through the ORM normalises (even QuerySet.update); the database stops the others."""
    table = User._meta.db_table
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET email = %s WHERE id = %s", ["User@mif.ma", viewer.pk])  # noqa: S608


def test_even_a_bulk_update_stores_the_normalised_form(viewer):
    User.objects.filter(pk=viewer.pk).update(email="Viewer@MIF.ma")

    viewer.refresh_from_db()
    assert viewer.email == "viewer@mif.ma"


def test_a_user_made_in_the_shell_is_normalised_too():
    user = User.objects.create_user("Ops@MIF.ma", password=PASSWORD)

    assert user.email == "ops@mif.ma"
    if connection.vendor == "postgresql":
        assert User.objects.filter(email="ops@mif.ma").exists()
