"""The vocabulary of work orders and, next to the status, the whole state machine as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InterventionStatus(models.TextChoices):
    NEW = "new", _("New")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class InterventionPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class InterventionType(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective")
    PREVENTIVE = "preventive", _("Preventive")
    INSTALLATION = "installation", _("Installation")
    INSPECTION = "inspection", _("Inspection")


class IntervalUnit(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class EventAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Started")
    HELD = "held", _("Put on hold")
    RESUMED = "resumed", _("Resumed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


Status = InterventionStatus
OPEN_STATUSES = frozenset({Status.NEW, Status.SCHEDULED, Status.IN_PROGRESS, Status.ON_HOLD})
# Statuses in which an intervention books its technicians' time (schedule conflicts, agendas).
BOOKING_STATUSES = frozenset({Status.SCHEDULED, Status.IN_PROGRESS, Status.ON_HOLD})
# Fields (and technicians) that may be edited directly, outside the actions.
EDITABLE_STATUSES = OPEN_STATUSES

# action -> (statuses it may start from, status it leads to). The one table of the workflow.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset({Status.NEW, Status.SCHEDULED}), Status.SCHEDULED),
    "start": (frozenset({Status.SCHEDULED}), Status.IN_PROGRESS),
    "hold": (frozenset({Status.IN_PROGRESS}), Status.ON_HOLD),
    "resume": (frozenset({Status.ON_HOLD}), Status.IN_PROGRESS),
    "complete": (frozenset({Status.IN_PROGRESS}), Status.COMPLETED),
    "cancel": (OPEN_STATUSES, Status.CANCELLED),
}

# At most this many technicians on one intervention: the API refuses longer lists before reading them.
MAX_TECHNICIANS = 20

# Priority ordering by rank (low < normal < high < urgent), not alphabetically.
PRIORITY_RANK = {
    InterventionPriority.LOW: 0,
    InterventionPriority.NORMAL: 1,
    InterventionPriority.HIGH: 2,
    InterventionPriority.URGENT: 3,
}
