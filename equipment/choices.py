from django.db import models
from django.utils.translation import gettext_lazy as _


class EquipmentStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    UNDER_MAINTENANCE = "under_maintenance", _("Under maintenance")
    OUT_OF_ORDER = "out_of_order", _("Out of order")
    RETIRED = "retired", _("Retired")
