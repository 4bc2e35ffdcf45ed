"""Reads of users that other apps need."""

from django.db.models import QuerySet

from .choices import Role
from .models import User


def managers_and_admins() -> QuerySet[User]:
    """The active users who hear about the whole business: completions, overdue work, warranties."""
    return User.objects.filter(is_active=True, role__in=[Role.MANAGER, Role.ADMIN])


def user_list() -> QuerySet[User]:
    """The application's users. The operators' superuser accounts (createsuperuser) are not among them:
    an admin who could set their password or email could take one over, and with it the server's pages."""
    return User.objects.filter(is_superuser=False)
