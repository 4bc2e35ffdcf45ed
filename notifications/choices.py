from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """The contract's notification_kind: what happened, so the frontend can pick an icon and a route."""

    INTERVENTION_ASSIGNED = "intervention_assigned", _("Intervention assigned")
    INTERVENTION_UNASSIGNED = "intervention_unassigned", _("Intervention unassigned")
    INTERVENTION_REMINDER = "intervention_reminder", _("Intervention reminder")
    INTERVENTION_OVERDUE = "intervention_overdue", _("Intervention overdue")
    INTERVENTION_COMPLETED = "intervention_completed", _("Intervention completed")
    MAINTENANCE_DUE = "maintenance_due", _("Maintenance due")
    WARRANTY_EXPIRING = "warranty_expiring", _("Warranty expiring")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
