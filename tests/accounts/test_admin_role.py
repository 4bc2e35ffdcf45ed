"""The admin role runs the business, not the server: it is no Django superuser. The back office shows it what
the RBAC table grants, and nothing of the pages that could run code on the worker (django-q's schedules) or
show every refresh token (the token blacklist). The real superuser is an operator's shell-created account."""

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAGES_OF_THE_SERVER = [
    "admin:django_q_schedule_add",
    "admin:django_q_schedule_changelist",
    "admin:token_blacklist_outstandingtoken_changelist",
    "admin:token_blacklist_blacklistedtoken_changelist",
    "admin:auth_group_changelist",
]


@pytest.fixture
def admin_browser():
    browser = BrowserClient()
    browser.force_login(UserFactory(role=Role.ADMIN))
    return browser


def test_the_admin_role_is_no_superuser():
    assert not UserFactory(role=Role.ADMIN).is_superuser


@pytest.mark.parametrize("page", PAGES_OF_THE_SERVER)
def test_the_admin_role_cannot_open_the_pages_of_the_server(admin_browser, page):
    assert admin_browser.get(reverse(page)).status_code == 403


def test_the_admin_role_keeps_the_back_office_of_the_business(admin_browser):
    index = admin_browser.get(reverse("admin:index"))

    assert index.status_code == 200
    assert admin_browser.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert admin_browser.get(reverse("admin:interventions_intervention_changelist")).status_code == 200
    assert b"django_q" not in index.content


def test_a_shell_created_superuser_stays_one_and_sees_everything():
    operator = User.objects.create_superuser("ops@mif.ma", PASSWORD)
    operator.first_name = "Ops"
    operator.save()
    browser = BrowserClient()
    browser.force_login(operator)

    operator.refresh_from_db()
    assert operator.is_superuser
    assert operator.role == Role.ADMIN
    assert browser.get(reverse("admin:django_q_schedule_changelist")).status_code == 200


def test_a_superuser_moved_out_of_the_admin_role_loses_its_powers():
    operator = User.objects.create_superuser("ops@mif.ma", PASSWORD)
    operator.role = Role.MANAGER
    operator.save()

    operator.refresh_from_db()
    assert not operator.is_superuser


@pytest.fixture
def operator():
    return User.objects.create_superuser("ops@mif.ma", PASSWORD)


def test_the_admin_role_cannot_reach_an_operators_account_through_the_api(make_client, operator):
    api = make_client(Role.ADMIN)
    url = f"/api/v1/users/{operator.pk}/"

    assert api.get(url).status_code == 404
    assert api.patch(url, {"password": "Taken-0ver-2026!"}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert operator.pk not in [row["id"] for row in api.get("/api/v1/users/").json()["results"]]
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)


@pytest.mark.parametrize(
    "page", ["admin:accounts_user_change", "admin:auth_user_password_change", "admin:accounts_user_delete"]
)
def test_the_admin_role_cannot_reach_an_operators_account_in_the_back_office(admin_browser, operator, page):
    response = admin_browser.get(reverse(page, args=[operator.pk]))

    # Django's admin answers an object it cannot find with a 404 or a redirect to its index.
    assert response.status_code in (302, 404)
    assert response.status_code == 404 or response["Location"] == reverse("admin:index")


def test_an_operator_manages_every_account_in_the_back_office(operator):
    browser = BrowserClient()
    browser.force_login(operator)

    assert browser.get(reverse("admin:accounts_user_change", args=[operator.pk])).status_code == 200
