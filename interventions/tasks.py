"""Scheduled jobs of the interventions app: fetch ids, call services."""

import logging
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from erp_mif.accounts.selectors import managers_and_admins
from erp_mif.core.errors import ApplicationError
from erp_mif.core.jobs import DAILY, HOURLY, job
from notifications.choices import NotificationKind
from notifications.models import Notification

from . import notifications as notices
from . import services
from .choices import Status
from .models import Intervention, MaintenancePlan
from .selectors import local_day_bounds, overdue_q

logger = logging.getLogger(__name__)


# The evening before: technicians get tomorrow's scheduled interventions.
@job("reminders", DAILY, at=time(17, 0))
def send_reminders() -> dict:
    """Tomorrow's scheduled interventions (Africa/Casablanca): one reminder per technician, once."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    start, end = local_day_bounds(tomorrow)
    due = Intervention.objects.filter(
        status=Status.SCHEDULED, scheduled_start__gte=start, scheduled_start__lt=end
    ).prefetch_related("technicians__user")
    sent = sum(len(notices.notify_reminder(intervention=intervention, day=tomorrow)) for intervention in due)
    return {"interventions": len(due), "notifications": sent}


@job("overdue", HOURLY)
def notify_overdue() -> dict:
    """Each overdue intervention: one notification per active manager and admin, once per due date."""
    overdue = list(Intervention.objects.filter(overdue_q()).only("pk", "reference", "title", "due_date"))
    recipients = list(managers_and_admins())
    # Most overdue work was announced in an earlier hour: read who already has which notice in one
    # query, and notify only where someone is still missing it (notify's dedup stays the judge).
    announced = set(
        Notification.objects.filter(kind=NotificationKind.INTERVENTION_OVERDUE, user__in=recipients).values_list(
            "dedup_key", "user_id"
        )
    )
    sent = 0
    for intervention in overdue:
        key = notices.overdue_key(intervention)
        if all((key, user.pk) in announced for user in recipients):
            continue
        sent += len(notices.notify_overdue(intervention=intervention, recipients=recipients))
    return {"interventions": len(overdue), "notifications": sent}


@job("preventive", DAILY, at=time(2, 0))
def generate_preventive() -> dict:
    """Every active plan whose lead time has begun gets its preventive interventions; managers are told."""
    today = timezone.localdate()
    active = MaintenancePlan.objects.filter(is_active=True).only("pk", "next_due_date", "lead_days")
    # lead_days differs per plan, so the "lead time has begun" test is done here, on a few columns.
    due = [plan for plan in active.iterator() if plan.next_due_date - timedelta(days=plan.lead_days) <= today]
    created, skipped, failed, sent = 0, 0, 0, 0
    recipients = list(managers_and_admins())
    for plan in due:
        try:
            # The interventions and their notice commit together: a crash between them cannot lose the notice.
            with transaction.atomic():
                interventions = services.maintenance_plan_generate(plan=plan, today=today)
                for intervention in interventions:
                    sent += len(
                        notices.notify_maintenance_due(intervention=intervention, plan=plan, recipients=recipients)
                    )
        except ApplicationError as exc:
            # An inactive client or retired equipment: the plan waits for a manager to act on it.
            logger.warning("preventive plan %s skipped: %s", plan.pk, exc.detail, extra={"plan": plan.pk})
            skipped += 1
            continue
        except Exception:
            # One plan's unexpected failure (a notice that cannot be written...) rolls back that plan only.
            logger.exception("preventive plan %s failed", plan.pk, extra={"plan": plan.pk})
            failed += 1
            continue
        created += len(interventions)
    if failed:
        # After serving the other plans: the run is recorded as failed, so /health/ says the scheduler is stale.
        raise RuntimeError(f"{failed} preventive plan(s) failed: see the log")
    return {"interventions": created, "plans_skipped": skipped, "notifications": sent}
