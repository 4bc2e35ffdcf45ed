from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Manager")
    TECHNICIAN = "technician", _("Technician")
    VIEWER = "viewer", _("Viewer")


# Roles that may sign in to the Django admin (back office).
STAFF_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
