from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Site
from erp_mif.core.models import TimeStampedModel

from .choices import EquipmentStatus


class Equipment(TimeStampedModel):
    """A machine installed at a client (optionally at one of its sites), identified by its serial number."""

    serial_number = models.CharField(_("serial number"), max_length=100, unique=True)
    name = models.CharField(max_length=200, db_index=True)
    category = models.CharField(max_length=100, blank=True, db_index=True)
    brand = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="equipment")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="equipment", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=EquipmentStatus.choices, default=EquipmentStatus.OPERATIONAL, db_index=True
    )
    installation_date = models.DateField(null=True, blank=True, db_index=True)
    warranty_end = models.DateField(null=True, blank=True, db_index=True)
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("equipment")

    def __str__(self) -> str:
        return f"{self.name} ({self.serial_number})"
