"""The back office: admins manage users there, under the same rules as the API; managers may not."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import LoginFailure, User
from tests.accounts.factories import PASSWORD, UserFactory

CHANGELIST = reverse("admin:accounts_user_changelist")
ADD = reverse("admin:accounts_user_add")


def _change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _delete_url(user) -> str:
    return reverse("admin:accounts_user_delete", args=[user.pk])


@pytest.fixture
def admin_user():
    return UserFactory(email="boss@mif.ma", role=Role.ADMIN)


@pytest.fixture
def admin_site_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def _change_form_data(user, **changes) -> dict:
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


# ------------------------------------------------------------------------------
# What an admin can do
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_admin_sees_the_user_changelist(admin_site_client, admin_user):
    UserFactory(email="someone@mif.ma")

    response = admin_site_client.get(CHANGELIST)

    assert response.status_code == 200
    assert b"someone@mif.ma" in response.content
    assert b"boss@mif.ma" in response.content


@pytest.mark.django_db
def test_admin_searches_users(admin_site_client):
    UserFactory(email="findme@mif.ma", last_name="Benjelloun")
    UserFactory(email="other@mif.ma", last_name="Tazi")

    response = admin_site_client.get(CHANGELIST, {"q": "benjell"})

    assert response.status_code == 200
    assert b"findme@mif.ma" in response.content
    assert b"other@mif.ma" not in response.content


@pytest.mark.django_db
def test_admin_filters_users(admin_site_client):
    UserFactory(email="gone@mif.ma", is_active=False)
    UserFactory(email="here@mif.ma", role=Role.MANAGER)

    inactive = admin_site_client.get(CHANGELIST, {"is_active__exact": "0"})
    managers = admin_site_client.get(CHANGELIST, {"role__exact": "manager"})

    assert inactive.status_code == managers.status_code == 200
    assert b"gone@mif.ma" in inactive.content
    assert b"here@mif.ma" not in inactive.content
    assert b"here@mif.ma" in managers.content
    assert b"gone@mif.ma" not in managers.content


@pytest.mark.django_db
def test_admin_opens_the_add_form_and_creates_a_user(admin_site_client):
    assert admin_site_client.get(ADD).status_code == 200

    response = admin_site_client.post(
        ADD,
        {
            "email": "Recrue@MIF.ma",
            "role": "manager",
            "first_name": "Salma",
            "last_name": "Idrissi",
            "password1": "Un-Bon-M0t-De-Passe",
            "password2": "Un-Bon-M0t-De-Passe",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    created = User.objects.get(email="recrue@mif.ma")
    assert created.role == Role.MANAGER
    assert created.is_staff
    assert created.check_password("Un-Bon-M0t-De-Passe")


@pytest.mark.django_db
def test_admin_add_form_refuses_a_technician(admin_site_client):
    response = admin_site_client.post(
        ADD,
        {
            "email": "tech@mif.ma",
            "role": "technician",
            "password1": "Un-Bon-M0t-De-Passe",
            "password2": "Un-Bon-M0t-De-Passe",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not User.objects.filter(email="tech@mif.ma").exists()


@pytest.mark.django_db
def test_admin_opens_the_change_form_and_saves(admin_site_client):
    target = UserFactory(role=Role.VIEWER)

    assert admin_site_client.get(_change_url(target)).status_code == 200
    response = admin_site_client.post(
        _change_url(target), _change_form_data(target, first_name="Renamed", role="manager")
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "Renamed"
    assert target.role == Role.MANAGER
    assert target.is_staff


@pytest.mark.django_db
def test_admin_deletes_a_user(admin_site_client):
    target = UserFactory()

    assert admin_site_client.get(_delete_url(target)).status_code == 200
    assert admin_site_client.post(_delete_url(target), {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=target.pk).exists()


@pytest.mark.django_db
def test_admin_sees_login_failures_read_only(admin_site_client):
    LoginFailure.objects.create(email="guess@mif.ma", ip_address="10.0.0.1")

    assert admin_site_client.get(reverse("admin:accounts_loginfailure_changelist")).status_code == 200
    assert admin_site_client.get(reverse("admin:accounts_loginfailure_add")).status_code == 403


# ------------------------------------------------------------------------------
# Managers and others
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_manager_logs_in_to_the_admin_but_cannot_manage_users():
    manager = UserFactory(email="chef@mif.ma", role=Role.MANAGER)
    client = Client()

    response = client.post(reverse("admin:login"), {"username": manager.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.get(_change_url(manager)).status_code == 403
    assert client.get(reverse("admin:accounts_loginfailure_changelist")).status_code == 403
    assert b"accounts/user" not in client.get(reverse("admin:index")).content


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.VIEWER])
def test_non_staff_roles_cannot_log_in_to_the_admin(role):
    user = UserFactory(role=role)
    client = Client()

    response = client.post(reverse("admin:login"), {"username": user.email, "password": PASSWORD})

    assert response.status_code == 200  # the login form again, with an error
    assert client.get(reverse("admin:index")).status_code == 302


# ------------------------------------------------------------------------------
# The last active admin
# ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"role": "manager"}, {"is_active": ""}], ids=["demote", "deactivate"])
def test_admin_form_refuses_to_demote_or_deactivate_the_last_admin(admin_site_client, admin_user, change):
    response = admin_site_client.post(_change_url(admin_user), _change_form_data(admin_user, **change))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN
    assert admin_user.is_active


@pytest.mark.django_db
def test_admin_form_demotes_an_admin_when_another_is_active(admin_site_client):
    other = UserFactory(role=Role.ADMIN)

    response = admin_site_client.post(_change_url(other), _change_form_data(other, role="manager"))

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.role == Role.MANAGER


@pytest.mark.django_db
def test_last_admin_cannot_be_deleted_from_the_admin(admin_site_client, admin_user):
    assert admin_site_client.get(_delete_url(admin_user)).status_code == 403
    assert admin_site_client.post(_delete_url(admin_user), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=admin_user.pk).exists()


@pytest.mark.django_db
def test_an_admin_can_be_deleted_from_the_admin_when_another_is_active(admin_site_client):
    other = UserFactory(role=Role.ADMIN)

    assert admin_site_client.post(_delete_url(other), {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=other.pk).exists()


def _bulk_delete(client, users):
    return client.post(
        CHANGELIST, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [user.pk for user in users], "post": "yes"}
    )


@pytest.mark.django_db
def test_bulk_delete_cannot_remove_the_last_admin(admin_site_client, admin_user):
    viewer = UserFactory()

    response = _bulk_delete(admin_site_client, [admin_user, viewer])

    assert response.status_code == 403
    assert User.objects.filter(pk__in=[admin_user.pk, viewer.pk]).count() == 2


@pytest.mark.django_db
def test_bulk_delete_cannot_remove_every_active_admin(admin_site_client, admin_user):
    other = UserFactory(role=Role.ADMIN)

    response = _bulk_delete(admin_site_client, [admin_user, other])

    assert response.status_code == 403
    assert User.objects.filter(pk__in=[admin_user.pk, other.pk]).count() == 2


@pytest.mark.django_db
def test_bulk_delete_of_ordinary_users_works(admin_site_client):
    victims = UserFactory.create_batch(2)

    assert _bulk_delete(admin_site_client, victims).status_code == 302
    assert not User.objects.filter(pk__in=[user.pk for user in victims]).exists()
