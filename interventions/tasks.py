"""Scheduled jobs of the interventions app: fetch ids, call services."""

import logging
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from erp_mif.core.errors import ApplicationError
from erp_mif.core.jobs import DAILY, HOURLY, job
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import managers_and_admins, notify

from . import services
from .choices import Status
from .models import Intervention, MaintenancePlan
from .selectors import local_day_bounds, overdue_q

logger = logging.getLogger(__name__)


def _link(intervention: Intervention) -> str:
    return f"/interventions/{intervention.pk}"


# The evening before: technicians get tomorrow's scheduled interventions.
@job("reminders", DAILY, at=time(17, 0))
def send_reminders() -> dict:
    """Tomorrow's scheduled interventions (Africa/Casablanca): one reminder per technician, once."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    start, end = local_day_bounds(tomorrow)
    due = Intervention.objects.filter(
        status=Status.SCHEDULED, scheduled_start__gte=start, scheduled_start__lt=end
    ).prefetch_related("technicians__user")
    sent = 0
    for intervention in due:
        sent += len(
            notify(
                recipients=[technician.user for technician in intervention.technicians.all()],
                kind=NotificationKind.INTERVENTION_REMINDER,
                title=_("Tomorrow: %(reference)s") % {"reference": intervention.reference},
                message=_("%(title)s is scheduled tomorrow at %(time)s.")
                % {"title": intervention.title, "time": f"{timezone.localtime(intervention.scheduled_start):%H:%M}"},
                data={"intervention": intervention.pk},
                dedup_key=f"reminder:{intervention.pk}:{tomorrow.isoformat()}",
                link=_link(intervention),
            )
        )
    return {"interventions": len(due), "notifications": sent}


@job("overdue", HOURLY)
def notify_overdue() -> dict:
    """Each overdue intervention: one notification per active manager and admin, once per due date."""
    overdue = list(Intervention.objects.filter(overdue_q()).only("pk", "reference", "title", "due_date"))
    recipients = list(managers_and_admins())
    # Most overdue work was announced in an earlier hour: read who already has which notice in one
    # query, and call notify only where someone is still missing it (notify's dedup stays the judge).
    announced = set(
        Notification.objects.filter(kind=NotificationKind.INTERVENTION_OVERDUE, user__in=recipients).values_list(
            "dedup_key", "user_id"
        )
    )
    sent = 0
    for intervention in overdue:
        key = f"overdue:{intervention.pk}:{intervention.due_date.isoformat()}"
        if all((key, user.pk) in announced for user in recipients):
            continue
        sent += len(
            notify(
                recipients=recipients,
                kind=NotificationKind.INTERVENTION_OVERDUE,
                title=_("Overdue: %(reference)s") % {"reference": intervention.reference},
                message=_("%(title)s was due on %(date)s and is still open.")
                % {"title": intervention.title, "date": date_format(intervention.due_date, "SHORT_DATE_FORMAT")},
                data={"intervention": intervention.pk},
                dedup_key=key,
                link=_link(intervention),
            )
        )
    return {"interventions": len(overdue), "notifications": sent}


@job("preventive", DAILY, at=time(2, 0))
def generate_preventive() -> dict:
    """Every active plan whose lead time has begun gets its preventive interventions; managers are told."""
    today = timezone.localdate()
    active = MaintenancePlan.objects.filter(is_active=True).only("pk", "next_due_date", "lead_days")
    # lead_days differs per plan, so the "lead time has begun" test is done here, on a few columns.
    due = [plan for plan in active.iterator() if plan.next_due_date - timedelta(days=plan.lead_days) <= today]
    created, skipped, sent = 0, 0, 0
    recipients = list(managers_and_admins())
    for plan in due:
        try:
            # The interventions and their notice commit together: a crash between them cannot lose the notice.
            with transaction.atomic():
                interventions = services.maintenance_plan_generate(plan=plan, today=today)
                sent += sum(
                    len(_notify_maintenance_due(intervention, plan, recipients)) for intervention in interventions
                )
        except ApplicationError as exc:
            # An inactive client or retired equipment: the plan waits for a manager to act on it.
            logger.warning("preventive plan %s skipped: %s", plan.pk, exc.detail, extra={"plan": plan.pk})
            skipped += 1
            continue
        created += len(interventions)
    return {"interventions": created, "plans_skipped": skipped, "notifications": sent}


def _notify_maintenance_due(intervention: Intervention, plan: MaintenancePlan, recipients: list) -> list:
    return notify(
        recipients=recipients,
        kind=NotificationKind.MAINTENANCE_DUE,
        title=_("Preventive maintenance: %(reference)s") % {"reference": intervention.reference},
        message=_("%(title)s is due on %(date)s.")
        % {"title": intervention.title, "date": date_format(intervention.due_date, "SHORT_DATE_FORMAT")},
        data={"intervention": intervention.pk, "maintenance_plan": plan.pk},
        dedup_key=f"maintenance_due:{plan.pk}:{intervention.due_date.isoformat()}",
        link=_link(intervention),
    )
