import pytest

from erp_mif.accounts.choices import Role
from erp_mif.accounts.selectors import managers_and_admins
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_managers_and_admins_are_the_active_ones_of_those_roles():
    admin, manager = UserFactory(role=Role.ADMIN), UserFactory(role=Role.MANAGER)
    UserFactory(role=Role.MANAGER, is_active=False)
    UserFactory(role=Role.TECHNICIAN)
    UserFactory(role=Role.VIEWER)

    assert set(managers_and_admins()) == {admin, manager}
