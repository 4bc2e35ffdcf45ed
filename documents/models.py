from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from equipment.models import Equipment
from erp_mif.core.models import TimeStampedModel
from interventions.models import Intervention

from .choices import DocumentKind

NAME_MAX_LENGTH = 255
# What a document may be attached to: field name (also the RBAC resource) -> model.
TARGET_MODELS = {"client": Client, "equipment": Equipment, "intervention": Intervention}


def _only(field: str) -> Q:
    """`field` set and the other targets empty."""
    return Q(**{f"{target}__isnull": target != field for target in TARGET_MODELS})


class Document(TimeStampedModel):
    """A file attached to exactly one client, equipment or intervention.

    The bytes live in the configured storage under `storage_name`, a random key chosen by the
    server; `name` is the uploaded name, sanitised, for display and downloads only.
    """

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, db_index=True)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER, db_index=True)
    content_type = models.CharField(max_length=100, db_index=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # Unique: deleting one document must never delete a file another one still points at.
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="documents", null=True, blank=True)
    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="documents", null=True, blank=True)
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_only("client") | _only("equipment") | _only("intervention"),
                name="document_exactly_one_target",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def target(self) -> Client | Equipment | Intervention:
        return self.client or self.equipment or self.intervention
