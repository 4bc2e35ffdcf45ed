"""Races on accounts that only a real database shows: run on PostgreSQL (SQLite serialises writers)."""

import threading

import pytest
from django.db import close_old_connections, connection

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.helpers import bearer_client

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
