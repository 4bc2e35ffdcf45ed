from django.conf import settings
from django.db import models
from django.db.models import Q

from erp_mif.core.models import TimeStampedModel


class Skill(models.Model):
    """A competence (électricité, hydraulique...): a table rather than a JSON list so it filters on any database."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Technician(TimeStampedModel):
    """The field profile of a user with role technician; name, email, phone and is_active live on the user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technician")
    employee_code = models.CharField(max_length=32, blank=True)
    skills = models.ManyToManyField(Skill, related_name="technicians", blank=True)
    zone = models.CharField(max_length=100, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee_code"], condition=~Q(employee_code=""), name="technician_unique_code_when_set"
            ),
        ]

    def __str__(self) -> str:
        return self.user.full_name
