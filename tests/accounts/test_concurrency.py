"""Races on accounts that only a real database shows: run on PostgreSQL (SQLite serialises writers)."""

import threading

import pytest
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from erp_mif.accounts import services
from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.helpers import bearer_client, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_admins_demoting_each_other_at_once_leave_one_admin():
    first, second = UserFactory(role=Role.ADMIN), UserFactory(role=Role.ADMIN)
    barrier = threading.Barrier(2)
    statuses = []

    def demote(by, whom):
        try:
            api = bearer_client(by)
            barrier.wait()
            response = api.patch(f"/api/v1/users/{whom.pk}/", {"role": Role.MANAGER}, format="json")
            statuses.append((response.status_code, response.json().get("code")))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=demote, args=pair) for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(status for status, _code in statuses) == [200, 409], statuses
    assert User.objects.filter(role=Role.ADMIN, is_active=True).count() == 1


def test_twenty_parallel_guesses_get_at_most_five_passwords_checked(monkeypatch):
    """Each attempt is counted before its password is looked at, so a burst cannot outrun the count; a key
    (Idempotency-Key) does not hold the count back in a transaction either."""
    user = UserFactory(email="cible@mif.ma")
    checked = []
    real_authenticate = services.authenticate

    def counting_authenticate(request, **credentials):
        checked.append(credentials["email"])
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(services, "authenticate", counting_authenticate)
    barrier = threading.Barrier(20)
    statuses = []

    def guess(index):
        try:
            client = APIClient()
            headers = {"HTTP_IDEMPOTENCY_KEY": f"guess-{index}"} if index % 2 else {}
            barrier.wait()
            statuses.append(login(client, user.email, f"wrong-{index}", **headers).status_code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=guess, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(checked) <= 5
    assert len(statuses) == 20
    assert statuses.count(401) == len(checked)  # the others were refused unchecked (all of them, when the
    assert statuses.count(429) == 20 - len(checked)  # twenty attempts were all counted before any check)
