"""What the equipment app tells people: warranties coming to an end."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import in_business_language, notify

from .models import Equipment


@in_business_language
def notify_warranty_expiring(*, equipment: Equipment, recipients: list) -> list[Notification]:
    """Once per warranty end date: a warranty extended to a new date is announced again when it nears."""
    params = {
        "name": equipment.name,
        "serial": equipment.serial_number,
        "client": equipment.client.name,
        "date": date_format(equipment.warranty_end, "SHORT_DATE_FORMAT"),
    }
    return notify(
        recipients=recipients,
        kind=NotificationKind.WARRANTY_EXPIRING,
        title=_("Warranty ending: %(name)s") % params,
        message=_("The warranty of %(name)s (%(serial)s, %(client)s) ends on %(date)s.") % params,
        data={"equipment": equipment.pk},
        dedup_key=f"warranty:{equipment.pk}:{equipment.warranty_end.isoformat()}",
        link=f"/equipment/{equipment.pk}",
    )
