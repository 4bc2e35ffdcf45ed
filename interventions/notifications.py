"""What the interventions app tells people, and in which words: assignments, completions, reminders,
overdue work and preventive maintenance coming due.

Called inside the transaction of the change they announce, so a notice and its change commit or
roll back together; the notification centre sends the emails after commit, through its outbox.
Stored text is read later by anyone: it is written in the business language, not the request's.
"""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from erp_mif.accounts.selectors import managers_and_admins
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import in_business_language, notify
from technicians.models import Technician

from .models import Intervention, MaintenancePlan


def _about(
    intervention: Intervention, recipients, kind: str, title: str, message: str, *, data=None, dedup_key: str = ""
) -> list[Notification]:
    """One notice about `intervention` to each recipient, linking to its page."""
    return notify(
        recipients=recipients,
        kind=kind,
        title=title,
        message=message,
        data={"intervention": intervention.pk, **(data or {})},
        dedup_key=dedup_key,
        link=f"/interventions/{intervention.pk}",
    )


def _short_date(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _users_of(technicians: Iterable[Technician]) -> list:
    return [technician.user for technician in technicians]


@in_business_language
def notify_assignment_changes(
    *, intervention: Intervention, added: list[Technician], removed: list[Technician]
) -> list[Notification]:
    """The technicians who join the intervention, and those who leave it, each hear about it."""
    params = {"reference": intervention.reference, "title": intervention.title}
    sent = []
    if added:
        title = _("Intervention assigned: %(reference)s") % params
        message = _("You are assigned to intervention %(reference)s — %(title)s.") % params
        sent += _about(intervention, _users_of(added), NotificationKind.INTERVENTION_ASSIGNED, title, message)
    if removed:
        title = _("Intervention unassigned: %(reference)s") % params
        message = _("You are no longer assigned to intervention %(reference)s — %(title)s.") % params
        sent += _about(intervention, _users_of(removed), NotificationKind.INTERVENTION_UNASSIGNED, title, message)
    return sent


@in_business_language
def notify_completed(*, intervention: Intervention) -> list[Notification]:
    """Managers and admins hear that the work is done."""
    params = {"reference": intervention.reference, "title": intervention.title}
    title = _("Intervention completed: %(reference)s") % params
    message = _("Intervention %(reference)s — %(title)s has been completed.") % params
    return _about(intervention, managers_and_admins(), NotificationKind.INTERVENTION_COMPLETED, title, message)


@in_business_language
def notify_reminder(*, intervention: Intervention, day: date) -> list[Notification]:
    """The technicians of an intervention scheduled on `day` (tomorrow), once per intervention and day."""
    title = _("Tomorrow: %(reference)s") % {"reference": intervention.reference}
    start = f"{timezone.localtime(intervention.scheduled_start):%H:%M}"
    message = _("%(title)s is scheduled tomorrow at %(time)s.") % {"title": intervention.title, "time": start}
    recipients = _users_of(intervention.technicians.all())
    dedup_key = f"reminder:{intervention.pk}:{day.isoformat()}"
    return _about(intervention, recipients, NotificationKind.INTERVENTION_REMINDER, title, message, dedup_key=dedup_key)


def overdue_key(intervention: Intervention) -> str:
    """Once per due date: an intervention overdue again after a new due date is announced again."""
    return f"overdue:{intervention.pk}:{intervention.due_date.isoformat()}"


@in_business_language
def notify_overdue(*, intervention: Intervention, recipients: list) -> list[Notification]:
    title = _("Overdue: %(reference)s") % {"reference": intervention.reference}
    message = _("%(title)s was due on %(date)s and is still open.") % {
        "title": intervention.title,
        "date": _short_date(intervention.due_date),
    }
    kind = NotificationKind.INTERVENTION_OVERDUE
    return _about(intervention, recipients, kind, title, message, dedup_key=overdue_key(intervention))


@in_business_language
def notify_maintenance_due(
    *, intervention: Intervention, plan: MaintenancePlan, recipients: list
) -> list[Notification]:
    """Managers and admins hear of each preventive intervention a plan opens, once per due date."""
    title = _("Preventive maintenance: %(reference)s") % {"reference": intervention.reference}
    message = _("%(title)s is due on %(date)s.") % {
        "title": intervention.title,
        "date": _short_date(intervention.due_date),
    }
    return _about(
        intervention,
        recipients,
        NotificationKind.MAINTENANCE_DUE,
        title,
        message,
        data={"maintenance_plan": plan.pk},
        dedup_key=f"maintenance_due:{plan.pk}:{intervention.due_date.isoformat()}",
    )
