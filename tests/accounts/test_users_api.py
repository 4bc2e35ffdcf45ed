"""/users/: RBAC, validation, filters, the last-admin guard and deactivation."""

import pytest

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import assert_envelope, bearer_client, login, tokens
from tests.rbac import call, crud_endpoints, rbac_cases

USERS_URL = "/api/v1/users/"

ENDPOINTS = {
    **crud_endpoints(USERS_URL),
}


def _url(user) -> str:
    return f"{USERS_URL}{user.pk}/"


@pytest.fixture
def admin_client(make_client):
    return make_client(Role.ADMIN)


# ------------------------------------------------------------------------------
# RBAC
# ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "expected"), rbac_cases("user", ENDPOINTS))
def test_user_rbac(role, action, expected, make_client, api_client):
    client = make_client(role) if role else api_client
    target = UserFactory(email="target@mif.ma", role=Role.VIEWER)
    bodies = {
        "create": {"email": "created@mif.ma", "role": "viewer"},
        "update": {"email": "target@mif.ma", "role": "viewer", "first_name": "Changed"},
        "partial_update": {"first_name": "Changed"},
    }

    response = call(client, ENDPOINTS[action], pk=target.pk, body=bodies.get(action))

    assert response.status_code == expected, response.content
    if expected in (401, 403):
        assert_envelope(response, expected, "not_authenticated" if expected == 401 else "permission_denied")
        assert User.objects.filter(email="target@mif.ma", first_name="Changed").count() == 0
        assert User.objects.filter(email="target@mif.ma").exists()
        assert not User.objects.filter(email="created@mif.ma").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.TECHNICIAN, Role.VIEWER])
def test_non_admins_are_refused_with_real_tokens(role):
    client = bearer_client(UserFactory(role=role))

    assert_envelope(client.get(USERS_URL), 403, "permission_denied")


@pytest.mark.django_db
def test_unknown_user_is_not_found_for_an_admin_and_forbidden_for_others(admin_client, make_client):
    assert_envelope(admin_client.get(f"{USERS_URL}999999/"), 404, "not_found")
    assert_envelope(make_client(Role.MANAGER).get(f"{USERS_URL}999999/"), 403, "permission_denied")


# ------------------------------------------------------------------------------
# Create and update
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_create_with_a_password_lets_the_user_log_in(admin_client, api_client):
    response = admin_client.post(
        USERS_URL,
        {"email": "New.User@MIF.ma", "role": "manager", "first_name": "Nadia", "password": "Un-Bon-M0t-De-Passe"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new.user@mif.ma"
    assert body["role"] == "manager"
    assert body["is_active"] is True
    assert "password" not in body
    created = User.objects.get(pk=body["id"])
    assert created.is_staff
    assert not created.is_superuser
    assert login(api_client, "new.user@mif.ma", "Un-Bon-M0t-De-Passe").status_code == 200


@pytest.mark.django_db
def test_create_without_a_password_leaves_it_unusable(admin_client):
    response = admin_client.post(USERS_URL, {"email": "nopass@mif.ma", "role": "viewer"}, format="json")

    assert response.status_code == 201
    assert not User.objects.get(email="nopass@mif.ma").has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["short", "12345678901", "password123", "weakling@mif.ma"])
def test_create_refuses_a_weak_password(admin_client, weak):
    response = admin_client.post(
        USERS_URL, {"email": "weakling@mif.ma", "role": "viewer", "password": weak}, format="json"
    )

    body = assert_envelope(response, 400, "validation_error")
    assert body["errors"]["password"]
    assert not User.objects.filter(email="weakling@mif.ma").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["taken@mif.ma", "TAKEN@mif.ma"])
def test_create_refuses_a_duplicate_email(admin_client, email):
    UserFactory(email="taken@mif.ma")

    body = assert_envelope(
        admin_client.post(USERS_URL, {"email": email, "role": "viewer"}, format="json"), 400, "validation_error"
    )

    assert body["errors"]["email"]
    assert User.objects.filter(email__iexact="taken@mif.ma").count() == 1


@pytest.mark.django_db
def test_update_refuses_another_users_email(admin_client):
    UserFactory(email="taken@mif.ma")
    target = UserFactory()

    body = assert_envelope(
        admin_client.patch(_url(target), {"email": "Taken@mif.ma"}, format="json"), 400, "validation_error"
    )

    assert "email" in body["errors"]


@pytest.mark.django_db
def test_update_keeps_ones_own_email(admin_client):
    target = UserFactory(email="same@mif.ma")

    response = admin_client.put(_url(target), {"email": "same@mif.ma", "role": "manager"}, format="json")

    assert response.status_code == 200, response.content
    target.refresh_from_db()
    assert target.role == Role.MANAGER
    assert target.is_staff


@pytest.mark.django_db
def test_create_refuses_the_technician_role(admin_client):
    response = admin_client.post(USERS_URL, {"email": "tech@mif.ma", "role": "technician"}, format="json")

    body = assert_envelope(response, 400, "validation_error")
    assert body["errors"]["role"]
    assert not User.objects.filter(email="tech@mif.ma").exists()


@pytest.mark.django_db
def test_update_refuses_to_make_a_technician(admin_client):
    target = UserFactory(role=Role.VIEWER)

    body = assert_envelope(
        admin_client.patch(_url(target), {"role": "technician"}, format="json"), 400, "validation_error"
    )

    assert body["errors"]["role"]
    target.refresh_from_db()
    assert target.role == Role.VIEWER


@pytest.mark.django_db
def test_update_refuses_to_remove_the_technician_role(admin_client):
    technician = UserFactory(role=Role.TECHNICIAN)

    body = assert_envelope(
        admin_client.patch(_url(technician), {"role": "viewer"}, format="json"), 400, "validation_error"
    )

    assert body["errors"]["role"]
    technician.refresh_from_db()
    assert technician.role == Role.TECHNICIAN


@pytest.mark.django_db
def test_technician_account_can_still_be_edited_otherwise(admin_client):
    technician = UserFactory(role=Role.TECHNICIAN)

    response = admin_client.patch(_url(technician), {"role": "technician", "phone": "0600"}, format="json")

    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_update_with_a_weak_password_changes_nothing(admin_client):
    target = UserFactory(first_name="Old")

    response = admin_client.patch(_url(target), {"first_name": "New", "password": "123"}, format="json")

    body = assert_envelope(response, 400, "validation_error")
    assert body["errors"]["password"]
    target.refresh_from_db()
    assert target.first_name == "Old"
    assert target.check_password(PASSWORD)


@pytest.mark.django_db
def test_update_with_a_password_sets_it_and_revokes_refresh_tokens(admin_client, api_client):
    target = UserFactory()
    refresh = tokens(target)["refresh"]

    response = admin_client.patch(_url(target), {"password": "Un-Autre-M0t-De-Passe"}, format="json")

    assert response.status_code == 200
    assert login(api_client, target.email, "Un-Autre-M0t-De-Passe").status_code == 200
    assert api_client.post("/api/v1/auth/refresh/", {"refresh": refresh}, format="json").status_code == 401


@pytest.mark.django_db
def test_read_only_fields_are_ignored(admin_client):
    target = UserFactory()

    response = admin_client.patch(
        _url(target),
        {"id": 4242, "date_joined": "2000-01-01T00:00:00Z", "last_login": "2000-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 200
    target.refresh_from_db()
    assert target.pk != 4242
    assert target.date_joined.year != 2000
    assert target.last_login is None


# ------------------------------------------------------------------------------
# Filters, search, ordering
# ------------------------------------------------------------------------------
@pytest.fixture
def people():
    return {
        "zara": UserFactory(email="zara@mif.ma", first_name="Zara", last_name="Alami", role=Role.MANAGER),
        "adam": UserFactory(email="adam@mif.ma", first_name="Adam", last_name="Tazi", role=Role.VIEWER),
        "omar": UserFactory(
            email="omar@mif.ma", first_name="Omar", last_name="Berrada", role=Role.VIEWER, is_active=False
        ),
        "tech": UserFactory(email="tech@mif.ma", first_name="Yassine", last_name="Chraibi", role=Role.TECHNICIAN),
    }


def _emails(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [user["email"] for user in response.json()["results"]]


@pytest.mark.django_db
def test_filter_by_role(admin_client, people):
    assert sorted(_emails(admin_client.get(USERS_URL, {"role": "viewer"}))) == ["adam@mif.ma", "omar@mif.ma"]
    assert _emails(admin_client.get(USERS_URL, {"role": "technician"})) == ["tech@mif.ma"]


@pytest.mark.django_db
def test_filter_by_an_unknown_role_is_a_validation_error(admin_client, people):
    body = assert_envelope(admin_client.get(USERS_URL, {"role": "pilot"}), 400, "validation_error")

    assert "role" in body["errors"]


@pytest.mark.django_db
def test_filter_by_is_active(admin_client, people):
    assert _emails(admin_client.get(USERS_URL, {"is_active": "false"})) == ["omar@mif.ma"]
    assert "omar@mif.ma" not in _emails(admin_client.get(USERS_URL, {"is_active": "true"}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [("ZARA", ["zara@mif.ma"]), ("tazi", ["adam@mif.ma"]), ("berr", ["omar@mif.ma"]), ("adam@", ["adam@mif.ma"])],
)
def test_search_over_email_and_names(admin_client, people, text, expected):
    assert _emails(admin_client.get(USERS_URL, {"search": text})) == expected


@pytest.mark.django_db
def test_ordering(admin_client, people):
    admin_email = admin_client.user.email
    everyone = sorted([*(person.email for person in people.values()), admin_email])

    assert _emails(admin_client.get(USERS_URL, {"ordering": "email"})) == everyone
    assert _emails(admin_client.get(USERS_URL, {"ordering": "-email"})) == everyone[::-1]
    by_last_name = _emails(admin_client.get(USERS_URL, {"ordering": "last_name", "role": "viewer"}))
    assert by_last_name == ["omar@mif.ma", "adam@mif.ma"]


@pytest.mark.django_db
def test_default_ordering_is_newest_first(admin_client, people):
    assert _emails(admin_client.get(USERS_URL))[:2] == ["tech@mif.ma", "omar@mif.ma"]


@pytest.mark.django_db
def test_ordering_by_an_unlisted_field_is_ignored(admin_client, people):
    assert _emails(admin_client.get(USERS_URL, {"ordering": "password"})) == _emails(admin_client.get(USERS_URL))


# ------------------------------------------------------------------------------
# The last active admin
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_last_active_admin_cannot_be_deleted(admin_client):
    me = admin_client.user

    assert_envelope(admin_client.delete(_url(me)), 409, "protected")
    assert User.objects.filter(pk=me.pk, is_active=True, role=Role.ADMIN).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"is_active": False}, {"role": "manager"}, {"role": "viewer", "is_active": False}])
def test_last_active_admin_cannot_be_deactivated_or_demoted(admin_client, change):
    me = admin_client.user

    assert_envelope(admin_client.patch(_url(me), change, format="json"), 409, "protected")
    me.refresh_from_db()
    assert me.is_active
    assert me.role == Role.ADMIN


@pytest.mark.django_db
def test_last_active_admin_cannot_be_demoted_with_put(admin_client):
    me = admin_client.user

    response = admin_client.put(_url(me), {"email": me.email, "role": "manager", "first_name": "X"}, format="json")

    assert_envelope(response, 409, "protected")
    me.refresh_from_db()
    assert (me.role, me.first_name) == (Role.ADMIN, me.first_name)
    assert me.first_name != "X"


@pytest.mark.django_db
def test_an_inactive_second_admin_does_not_count(admin_client):
    UserFactory(role=Role.ADMIN, is_active=False)

    assert_envelope(admin_client.delete(_url(admin_client.user)), 409, "protected")


@pytest.mark.django_db
def test_an_admin_can_be_deleted_when_another_is_active(admin_client):
    other = UserFactory(role=Role.ADMIN)

    assert admin_client.delete(_url(other)).status_code == 204
    assert not User.objects.filter(pk=other.pk).exists()
    # Now the caller is the last one.
    assert_envelope(admin_client.delete(_url(admin_client.user)), 409, "protected")


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"is_active": False}, {"role": "manager"}])
def test_an_admin_can_be_deactivated_or_demoted_when_another_is_active(admin_client, change):
    other = UserFactory(role=Role.ADMIN)

    response = admin_client.patch(_url(other), change, format="json")

    assert response.status_code == 200, response.content
    other.refresh_from_db()
    assert not (other.is_active and other.role == Role.ADMIN)


@pytest.mark.django_db
def test_an_admin_may_step_down_when_another_is_active(admin_client):
    UserFactory(role=Role.ADMIN)

    assert admin_client.patch(_url(admin_client.user), {"role": "manager"}, format="json").status_code == 200


@pytest.mark.django_db
def test_reactivating_and_promoting_are_allowed(admin_client):
    target = UserFactory(role=Role.VIEWER, is_active=False)

    response = admin_client.patch(_url(target), {"is_active": True, "role": "admin"}, format="json")

    assert response.status_code == 200
    target.refresh_from_db()
    assert target.is_active
    assert target.role == Role.ADMIN


# ------------------------------------------------------------------------------
# Deactivation
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_deactivating_a_user_makes_his_tokens_stop_working(admin_client, api_client):
    target = UserFactory(role=Role.MANAGER)
    pair = tokens(target)
    target_client = bearer_client(access=pair["access"])
    assert target_client.get("/api/v1/auth/me/").status_code == 200

    assert admin_client.patch(_url(target), {"is_active": False}, format="json").status_code == 200

    assert_envelope(target_client.get("/api/v1/auth/me/"), 401, "token_not_valid")
    refresh = api_client.post("/api/v1/auth/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_envelope(refresh, 401, "token_not_valid")
    assert_envelope(login(api_client, target.email), 401, "invalid_credentials")


@pytest.mark.django_db
def test_reactivated_user_needs_to_log_in_again(admin_client, api_client):
    target = UserFactory()
    refresh = tokens(target)["refresh"]
    admin_client.patch(_url(target), {"is_active": False}, format="json")

    admin_client.patch(_url(target), {"is_active": True}, format="json")

    assert api_client.post("/api/v1/auth/refresh/", {"refresh": refresh}, format="json").status_code == 401
    assert login(api_client, target.email).status_code == 200


@pytest.mark.django_db
def test_deleting_a_user_makes_his_tokens_stop_working(admin_client, api_client):
    target = UserFactory()
    pair = tokens(target)

    assert admin_client.delete(_url(target)).status_code == 204

    assert_envelope(bearer_client(access=pair["access"]).get("/api/v1/auth/me/"), 401, "token_not_valid")
    assert_envelope(
        api_client.post("/api/v1/auth/refresh/", {"refresh": pair["refresh"]}, format="json"), 401, "token_not_valid"
    )
