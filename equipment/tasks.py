"""Scheduled jobs of the equipment app."""

from datetime import time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from erp_mif.core.jobs import DAILY, job
from notifications.choices import NotificationKind
from notifications.services import managers_and_admins, notify

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
    sent = 0
    for equipment in expiring:
        sent += len(
            notify(
                recipients=recipients,
                kind=NotificationKind.WARRANTY_EXPIRING,
                title=_("Warranty ending: %(name)s") % {"name": equipment.name},
                message=_("The warranty of %(name)s (%(serial)s, %(client)s) ends on %(date)s.")
                % {
                    "name": equipment.name,
                    "serial": equipment.serial_number,
                    "client": equipment.client.name,
                    "date": date_format(equipment.warranty_end, "SHORT_DATE_FORMAT"),
                },
                data={"equipment": equipment.pk},
                dedup_key=f"warranty:{equipment.pk}:{equipment.warranty_end.isoformat()}",
                link=f"/equipment/{equipment.pk}",
            )
        )
    return {"equipment": len(expiring), "notifications": sent}
