"""Scheduled jobs of the equipment app: fetch the rows, call the notices."""

from datetime import time, timedelta

from django.utils import timezone

from erp_mif.accounts.selectors import managers_and_admins
from erp_mif.core.jobs import DAILY, job

from . import notifications
from .models import Equipment

WARRANTY_NOTICE = timedelta(days=30)


@job("warranty", DAILY, at=time(7, 0))
def notify_warranty_expiring() -> dict:
    """Equipment whose warranty ends within 30 days: one notification per manager and admin, once per end date."""
    today = timezone.localdate()
    expiring = list(
        Equipment.objects.filter(warranty_end__gte=today, warranty_end__lte=today + WARRANTY_NOTICE).select_related(
            "client"
        )
    )
    recipients = list(managers_and_admins())
    sent = sum(
        len(notifications.notify_warranty_expiring(equipment=equipment, recipients=recipients))
        for equipment in expiring
    )
    return {"equipment": len(expiring), "notifications": sent}
