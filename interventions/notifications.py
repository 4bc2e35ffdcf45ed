"""What the interventions app tells people, and in which words: assignments, completions, reminders,
overdue work and preventive maintenance coming due.

Called inside the transaction of the change they announce, so a notice and its change commit or
roll back together; the notification centre sends the emails after commit, through its outbox.
Stored text is read later by anyone: it is written in the business language, not the request's.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from erp_mif.accounts.selectors import managers_and_admins
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import notify
from technicians.models import Technician

from .models import Intervention, MaintenancePlan


def _link(intervention: Intervention) -> str:
    return f"/interventions/{intervention.pk}"


def _short_date(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _users_of(technicians: Iterable[Technician]) -> list:
    return [technician.user for technician in technicians]


def notify_assignment_changes(
    *, intervention: Intervention, added: list[Technician], removed: list[Technician]
) -> list[Notification]:
    """The technicians who join the intervention, and those who leave it, each hear about it."""
    params = {"reference": intervention.reference, "title": intervention.title}
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        if added:
            sent += notify(
                recipients=_users_of(added),
                kind=NotificationKind.INTERVENTION_ASSIGNED,
                title=_("Intervention assigned: %(reference)s") % params,
                message=_("You are assigned to intervention %(reference)s — %(title)s.") % params,
                data={"intervention": intervention.pk},
                link=_link(intervention),
            )
        if removed:
            sent += notify(
                recipients=_users_of(removed),
                kind=NotificationKind.INTERVENTION_UNASSIGNED,
                title=_("Intervention unassigned: %(reference)s") % params,
                message=_("You are no longer assigned to intervention %(reference)s — %(title)s.") % params,
                data={"intervention": intervention.pk},
                link=_link(intervention),
            )
    return sent


def notify_completed(*, intervention: Intervention) -> list[Notification]:
    """Managers and admins hear that the work is done."""
    params = {"reference": intervention.reference, "title": intervention.title}
    with translation.override(settings.LANGUAGE_CODE):
        return notify(
            recipients=managers_and_admins(),
            kind=NotificationKind.INTERVENTION_COMPLETED,
            title=_("Intervention completed: %(reference)s") % params,
            message=_("Intervention %(reference)s — %(title)s has been completed.") % params,
            data={"intervention": intervention.pk},
            link=_link(intervention),
        )


def notify_reminder(*, intervention: Intervention, day: date) -> list[Notification]:
    """The technicians of an intervention scheduled on `day` (tomorrow), once per intervention and day."""
    with translation.override(settings.LANGUAGE_CODE):
        return notify(
            recipients=_users_of(intervention.technicians.all()),
            kind=NotificationKind.INTERVENTION_REMINDER,
            title=_("Tomorrow: %(reference)s") % {"reference": intervention.reference},
            message=_("%(title)s is scheduled tomorrow at %(time)s.")
            % {"title": intervention.title, "time": f"{timezone.localtime(intervention.scheduled_start):%H:%M}"},
            data={"intervention": intervention.pk},
            dedup_key=f"reminder:{intervention.pk}:{day.isoformat()}",
            link=_link(intervention),
        )


def overdue_key(intervention: Intervention) -> str:
    """Once per due date: an intervention overdue again after a new due date is announced again."""
    return f"overdue:{intervention.pk}:{intervention.due_date.isoformat()}"


def notify_overdue(*, intervention: Intervention, recipients: list) -> list[Notification]:
    with translation.override(settings.LANGUAGE_CODE):
        return notify(
            recipients=recipients,
            kind=NotificationKind.INTERVENTION_OVERDUE,
            title=_("Overdue: %(reference)s") % {"reference": intervention.reference},
            message=_("%(title)s was due on %(date)s and is still open.")
            % {"title": intervention.title, "date": _short_date(intervention.due_date)},
            data={"intervention": intervention.pk},
            dedup_key=overdue_key(intervention),
            link=_link(intervention),
        )


def notify_maintenance_due(
    *, intervention: Intervention, plan: MaintenancePlan, recipients: list
) -> list[Notification]:
    """Managers and admins hear of each preventive intervention a plan opens, once per due date."""
    with translation.override(settings.LANGUAGE_CODE):
        return notify(
            recipients=recipients,
            kind=NotificationKind.MAINTENANCE_DUE,
            title=_("Preventive maintenance: %(reference)s") % {"reference": intervention.reference},
            message=_("%(title)s is due on %(date)s.")
            % {"title": intervention.title, "date": _short_date(intervention.due_date)},
            data={"intervention": intervention.pk, "maintenance_plan": plan.pk},
            dedup_key=f"maintenance_due:{plan.pk}:{intervention.due_date.isoformat()}",
            link=_link(intervention),
        )
