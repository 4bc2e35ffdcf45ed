"""One brute-force lockout for both doors, the API's login and the back office's: the same counters."""

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse

from erp_mif.accounts.choices import Role
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import assert_envelope, login

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")
ADMIN_INDEX = reverse("admin:index")


@pytest.fixture
def manager():
    return UserFactory(email="chef@mif.ma", role=Role.MANAGER)


def back_office_login(browser: BrowserClient, email: str, password: str, ip: str = "10.1.1.1"):
    return browser.post(ADMIN_LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_the_back_office_locks_an_account_after_five_failures_even_with_the_right_password(manager):
    browser = BrowserClient()
    for _ in range(5):
        assert back_office_login(browser, manager.email, "wrong").status_code == 200  # the form again

    refused = back_office_login(browser, manager.email, PASSWORD)

    assert refused.status_code == 200
    assert "Trop de tentatives" in refused.content.decode()
    assert browser.get(ADMIN_INDEX).status_code == 302  # not signed in


def test_failures_at_one_door_lock_the_other(api_client, manager):
    browser = BrowserClient()
    for _ in range(5):
        back_office_login(browser, manager.email, "wrong", ip="10.1.1.2")

    assert_envelope(login(api_client, manager.email, REMOTE_ADDR="10.1.1.3"), 429, "throttled")


def test_api_failures_lock_the_back_office_too(api_client, manager):
    for _ in range(5):
        assert login(api_client, manager.email, "wrong", REMOTE_ADDR="10.1.1.4").status_code == 401

    browser = BrowserClient()
    refused = back_office_login(browser, manager.email, PASSWORD, ip="10.1.1.5")

    assert "Trop de tentatives" in refused.content.decode()
    assert browser.get(ADMIN_INDEX).status_code == 302  # not signed in


def test_the_back_office_signs_in_with_the_right_password(manager):
    browser = BrowserClient()

    assert back_office_login(browser, manager.email, PASSWORD).status_code == 302
    assert browser.get(ADMIN_INDEX).status_code == 200


def test_a_valid_account_does_not_clear_the_count_of_an_ip_spraying_others(api_client, manager):
    spraying_ip = {"REMOTE_ADDR": "10.9.9.9"}
    for n in range(4):
        assert login(api_client, f"victim{n}@mif.ma", "guess", **spraying_ip).status_code == 401
    assert login(api_client, manager.email, **spraying_ip).status_code == 200  # the attacker's own account

    assert login(api_client, "victim4@mif.ma", "guess", **spraying_ip).status_code == 401
    assert_envelope(login(api_client, "victim5@mif.ma", "guess", **spraying_ip), 429, "throttled")


@pytest.mark.parametrize("email", ["a" * 300 + "@mif.ma", "\ufdfa" * 30 + "@mif.ma"])  # long, or long once normalised
def test_an_email_too_long_for_any_account_is_refused_at_both_doors_without_a_500(api_client, email):
    assert login(api_client, email).status_code in (400, 401)
    assert back_office_login(BrowserClient(), email, PASSWORD).status_code == 200  # the form again
