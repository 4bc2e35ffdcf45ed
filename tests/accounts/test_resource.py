"""/api/v1/users/: the generated resource tests (tests/resources.py)."""

from erp_mif.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.resources import Resource, resource_tests


def a_user(user=None) -> User:
    """Any user of the application: users have no scope."""
    return UserFactory()


TestUserResource = resource_tests(
    # count + page
    Resource("user", "/api/v1/users/", a_user, list_queries=2, patch={"first_name": "Karim"})
)
