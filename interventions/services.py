"""The workflow of work orders. Every status change goes through here (API, admin, jobs alike).

Each service runs in a transaction, holds the intervention's row lock, checks `choices.TRANSITIONS`,
records an `InterventionEvent` (who, when, what changed) and writes its notifications in the same
transaction (`notifications.py`); their emails leave after commit, so nothing is sent for work that rolls back.
"""

import calendar
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, Site
from equipment.choices import EquipmentStatus
from equipment.models import Equipment
from erp_mif.core.errors import ApplicationError, invalid
from erp_mif.core.references import next_number
from erp_mif.core.writes import locked
from technicians.models import Technician

from . import notifications as notices
from .choices import (
    OPEN_STATUSES,
    TRANSITIONS,
    EventAction,
    IntervalUnit,
    InterventionType,
    Status,
)
from .models import Intervention, InterventionEvent, MaintenancePlan
from .selectors import bookings_overlapping

# Fields a create or an update may set directly; the rest belongs to the actions.
EDITABLE_FIELDS = (
    "title",
    "description",
    "type",
    "priority",
    "client",
    "site",
    "equipment",
    "scheduled_start",
    "scheduled_end",
    "due_date",
)
# Set by the system and the actions only, never by a create or an update.
SYSTEM_FIELDS = (
    "reference",
    "status",
    "started_at",
    "completed_at",
    "cancelled_at",
    "cancel_reason",
    "hold_reason",
    "report",
    "labor_minutes",
    "maintenance_plan",
    "created_by",
    "created_at",
    "updated_at",
)
# Changing these re-runs the schedule-conflict check, like the assign action.
_BOOKING_FIELDS = {"technicians", "scheduled_start", "scheduled_end"}


# ------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------
def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _record(intervention: Intervention, action: str, by, changes: dict | None = None) -> None:
    InterventionEvent.objects.create(
        intervention=intervention,
        user=by if by is not None and by.is_authenticated else None,
        action=action,
        changes={field: [_jsonable(old), _jsonable(new)] for field, (old, new) in (changes or {}).items()},
    )


def _ensure_transition(intervention: Intervention, action: str) -> str:
    """Return the status `action` leads to, or refuse with 409 invalid_transition."""
    sources, target = TRANSITIONS[action]
    if intervention.status not in sources:
        raise ApplicationError(
            "invalid_transition",
            _("Cannot %(action)s an intervention that is %(status)s.")
            % {"action": action, "status": intervention.get_status_display().lower()},
            status_code=409,
        )
    return target


def reference_counter(year: int) -> str:
    """Intervention numbers restart every year: one counter per year."""
    return f"intervention-{year}"


def format_reference(year: int, number: int) -> str:
    """INT-2026-00001: five digits at least, more once the year's counter outgrows them."""
    return f"INT-{year}-{number:05d}"


def _reference(now: datetime) -> str:
    year = timezone.localtime(now).year
    return format_reference(year, next_number(reference_counter(year)))


def _check_relations(*, client: Client, site: Site | None, equipment: Equipment | None, creating: bool) -> None:
    """Site and equipment belong to the client; a new work order needs an active client and live equipment."""
    errors = {}
    if creating and not client.is_active:
        errors["client"] = [_("This client is inactive.")]
    if site is not None and site.client_id != client.pk:
        errors["site"] = [_("This site belongs to another client.")]
    if equipment is not None and equipment.client_id != client.pk:
        errors["equipment"] = [_("This equipment belongs to another client.")]
    elif equipment is not None and equipment.status == EquipmentStatus.RETIRED:
        errors["equipment"] = [_("This equipment is retired.")]
    if errors:
        raise invalid(errors)


def _check_window(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end <= start:
        raise invalid({"scheduled_end": [_("The end must be after the start.")]})


def _lock_technicians(technicians) -> list[Technician]:
    """Lock the technicians' rows (in id order, so two assigners never deadlock) and check they are active.

    Holding these locks until commit serialises concurrent bookings of the same technician: the
    second assigner waits, then sees the first's booking in its conflict check.
    """
    ids = sorted({technician.pk for technician in technicians})
    locked = list(
        Technician.objects.select_for_update(of=("self",)).select_related("user").filter(pk__in=ids).order_by("pk")
    )
    if inactive := [technician for technician in locked if not technician.user.is_active]:
        raise invalid(
            {"technicians": [_("%(name)s is inactive.") % {"name": tech.user.full_name} for tech in inactive]}
        )
    return locked


def _check_conflicts(intervention: Intervention, technicians: list[Technician], start, end) -> None:
    """409 schedule_conflict when a technician is booked on an overlapping [start, end) elsewhere."""
    if not technicians or start is None or end is None:
        return
    clashes = (
        bookings_overlapping(start=start, end=end)
        .filter(technician__in=technicians)
        .exclude(intervention=intervention.pk)
        .order_by("intervention__reference", "technician")
        .values_list("technician__user__first_name", "technician__user__last_name", "intervention__reference")
    )
    messages = [
        _("%(name)s is already booked on %(reference)s.") % {"name": f"{first} {last}".strip(), "reference": reference}
        for first, last, reference in clashes
    ]
    if messages:
        raise ApplicationError("schedule_conflict", status_code=409, errors={"technicians": messages})


def _set_technicians(intervention: Intervention, technicians: list[Technician]) -> None:
    """Replace the technician list; the technicians who join and those who leave are told."""
    before = {technician.pk: technician for technician in intervention.technicians.select_related("user")}
    after = {technician.pk: technician for technician in technicians}
    intervention.technicians.set(technicians)
    notices.notify_assignment_changes(
        intervention=intervention,
        added=[technician for pk, technician in after.items() if pk not in before],
        removed=[technician for pk, technician in before.items() if pk not in after],
    )


def _is_bookable(intervention: Intervention, has_technicians: bool) -> bool:
    return has_technicians and intervention.scheduled_start is not None and intervention.scheduled_end is not None


# ------------------------------------------------------------------------------
# Create, update, delete
# ------------------------------------------------------------------------------
@transaction.atomic
def intervention_create(
    *, by, client: Client, technicians=(), maintenance_plan: MaintenancePlan | None = None, **fields
) -> Intervention:
    """Open a work order. With technicians and a scheduled window it is scheduled at once.

    Preconditions: an active client; site and equipment of that client; equipment not retired;
    active technicians free on the window (else 409 schedule_conflict).
    """
    _check_relations(client=client, site=fields.get("site"), equipment=fields.get("equipment"), creating=True)
    _check_window(fields.get("scheduled_start"), fields.get("scheduled_end"))
    now = timezone.now()
    intervention = Intervention(
        client=client,
        maintenance_plan=maintenance_plan,
        created_by=by if by is not None and by.is_authenticated else None,
        reference=_reference(now),
        **fields,
    )
    technicians = _lock_technicians(technicians)
    if _is_bookable(intervention, bool(technicians)):
        intervention.status = Status.SCHEDULED
    intervention.save()
    _check_conflicts(intervention, technicians, intervention.scheduled_start, intervention.scheduled_end)
    _set_technicians(intervention, technicians)
    _record(intervention, EventAction.CREATED, by, {"status": (None, intervention.status)})
    return intervention


@transaction.atomic
def intervention_update(*, intervention: Intervention, by, technicians=None, **fields) -> Intervention:
    """Edit an open work order. Technicians and the window may change only while new or scheduled.

    A new intervention with technicians and a window becomes scheduled; a scheduled one must keep both.
    """
    intervention = locked(intervention)
    if intervention.status not in OPEN_STATUSES:
        raise ApplicationError("invalid_transition", _("A closed intervention cannot be edited."), status_code=409)
    old = {field: getattr(intervention, field) for field in EDITABLE_FIELDS}
    old_technicians = list(intervention.technicians.all())
    for field, value in fields.items():
        setattr(intervention, field, value)
    changed = {field for field in fields if old[field] != fields[field]}
    new_technicians = old_technicians if technicians is None else list(technicians)
    if technicians is not None and {t.pk for t in new_technicians} != {t.pk for t in old_technicians}:
        changed.add("technicians")

    _check_relations(
        client=intervention.client,
        site=intervention.site,
        equipment=intervention.equipment,
        creating="client" in changed,
    )
    _check_window(intervention.scheduled_start, intervention.scheduled_end)
    if changed & _BOOKING_FIELDS:
        _ensure_booking_editable(intervention, new_technicians)
        new_technicians = _lock_technicians(new_technicians)
        _check_conflicts(intervention, new_technicians, intervention.scheduled_start, intervention.scheduled_end)

    changes = {field: (old[field], getattr(intervention, field)) for field in changed - {"technicians"}}
    if intervention.status == Status.NEW and _is_bookable(intervention, bool(new_technicians)):
        changes["status"] = (intervention.status, Status.SCHEDULED)
        intervention.status = Status.SCHEDULED
    intervention.save()
    if "technicians" in changed:
        _set_technicians(intervention, new_technicians)
        changes["technicians"] = (sorted(t.pk for t in old_technicians), sorted(t.pk for t in new_technicians))
    if changes:
        _record(intervention, EventAction.UPDATED, by, changes)
    return intervention


def _ensure_booking_editable(intervention: Intervention, technicians: list[Technician]) -> None:
    if intervention.status not in (Status.NEW, Status.SCHEDULED):
        raise ApplicationError(
            "invalid_transition",
            _("Technicians and the schedule change only while the intervention is new or scheduled."),
            status_code=409,
        )
    if intervention.status == Status.SCHEDULED and not _is_bookable(intervention, bool(technicians)):
        raise invalid({"technicians": [_("A scheduled intervention needs technicians and a scheduled window.")]})


@transaction.atomic
def intervention_delete(*, intervention: Intervention) -> None:
    """Only a new or cancelled work order may be deleted: the others are part of the record."""
    intervention = locked(intervention)
    if intervention.status not in (Status.NEW, Status.CANCELLED):
        raise ApplicationError("protected", _("Only new or cancelled interventions can be deleted."), status_code=409)
    intervention.delete()


# ------------------------------------------------------------------------------
# Workflow actions
# ------------------------------------------------------------------------------
@transaction.atomic
def intervention_assign(
    *, intervention: Intervention, by, technicians, scheduled_start: datetime, scheduled_end: datetime
) -> Intervention:
    """Book technicians on a window (replacing the previous list); new or scheduled → scheduled."""
    intervention = locked(intervention)
    target = _ensure_transition(intervention, "assign")
    _check_window(scheduled_start, scheduled_end)
    if not technicians:
        raise invalid({"technicians": [_("At least one technician is required.")]})
    technicians = _lock_technicians(technicians)
    _check_conflicts(intervention, technicians, scheduled_start, scheduled_end)
    old = (intervention.status, intervention.scheduled_start, intervention.scheduled_end)
    old_ids = sorted(intervention.technicians.values_list("pk", flat=True))
    intervention.status, intervention.scheduled_start, intervention.scheduled_end = (
        target,
        scheduled_start,
        scheduled_end,
    )
    intervention.save(update_fields=["status", "scheduled_start", "scheduled_end", "updated_at"])
    _set_technicians(intervention, technicians)
    changes = {
        "status": (old[0], target),
        "scheduled_start": (old[1], scheduled_start),
        "scheduled_end": (old[2], scheduled_end),
        "technicians": (old_ids, sorted(t.pk for t in technicians)),
    }
    _record(intervention, EventAction.ASSIGNED, by, {k: v for k, v in changes.items() if v[0] != v[1]})
    return intervention


def _move(intervention: Intervention, action: str, event: str, by, **fields) -> Intervention:
    """Apply a plain transition: status plus the given fields, one event with what changed."""
    intervention = locked(intervention)
    target = _ensure_transition(intervention, action)
    changes = {"status": (intervention.status, target)}
    for field, value in fields.items():
        changes[field] = (getattr(intervention, field), value)
        setattr(intervention, field, value)
    intervention.status = target
    intervention.save(update_fields=["status", *fields, "updated_at"])
    _record(intervention, event, by, changes)
    return intervention


@transaction.atomic
def intervention_start(*, intervention: Intervention, by) -> Intervention:
    """scheduled → in_progress; sets started_at."""
    return _move(intervention, "start", EventAction.STARTED, by, started_at=timezone.now())


@transaction.atomic
def intervention_hold(*, intervention: Intervention, by, reason: str) -> Intervention:
    """in_progress → on_hold (waiting for parts, client absent...); the reason is kept after resume."""
    return _move(intervention, "hold", EventAction.HELD, by, hold_reason=reason)


@transaction.atomic
def intervention_resume(*, intervention: Intervention, by) -> Intervention:
    """on_hold → in_progress."""
    return _move(intervention, "resume", EventAction.RESUMED, by)


@transaction.atomic
def intervention_complete(
    *, intervention: Intervention, by, report: str, labor_minutes: int | None = None
) -> Intervention:
    """in_progress → completed with the report; managers and admins are notified."""
    intervention = _move(
        intervention,
        "complete",
        EventAction.COMPLETED,
        by,
        completed_at=timezone.now(),
        report=report,
        labor_minutes=labor_minutes,
    )
    notices.notify_completed(intervention=intervention)
    return intervention


@transaction.atomic
def intervention_cancel(*, intervention: Intervention, by, reason: str) -> Intervention:
    """Any open status → cancelled."""
    return _move(intervention, "cancel", EventAction.CANCELLED, by, cancelled_at=timezone.now(), cancel_reason=reason)


# ------------------------------------------------------------------------------
# Maintenance plans
# ------------------------------------------------------------------------------
def _check_plan(*, equipment: Equipment, default_technician: Technician | None) -> None:
    errors = {}
    if equipment.status == EquipmentStatus.RETIRED:
        errors["equipment"] = [_("This equipment is retired.")]
    if default_technician is not None and not default_technician.user.is_active:
        errors["default_technician"] = [_("This technician is inactive.")]
    if errors:
        raise invalid(errors)


@transaction.atomic
def maintenance_plan_create(*, equipment: Equipment, default_technician: Technician | None = None, **fields):
    """A preventive plan for live equipment, with an active default technician if any."""
    _check_plan(equipment=equipment, default_technician=default_technician)
    return MaintenancePlan.objects.create(
        equipment=equipment, default_technician=default_technician, due_day=fields["next_due_date"].day, **fields
    )


@transaction.atomic
def maintenance_plan_update(*, plan: MaintenancePlan, **fields) -> MaintenancePlan:
    plan = locked(plan)
    old_due_date = plan.next_due_date
    for field, value in fields.items():
        setattr(plan, field, value)
    if {"equipment", "default_technician"} & fields.keys():
        _check_plan(equipment=plan.equipment, default_technician=plan.default_technician)
    if "next_due_date" in fields and fields["next_due_date"] != old_due_date:
        plan.due_day = plan.next_due_date.day
    plan.save()
    return plan


def plan_step(due: date, *, value: int, unit: str, due_day: int) -> date:
    """`due` moved on by `value` `unit`; month and year steps land on `due_day` or the month's last day."""
    if unit == IntervalUnit.DAY:
        return due + timedelta(days=value)
    if unit == IntervalUnit.WEEK:
        return due + timedelta(weeks=value)
    months = value * (12 if unit == IntervalUnit.YEAR else 1)
    year, month_index = divmod(due.month - 1 + months, 12)
    year, month = due.year + year, month_index + 1
    return date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def _plan_technicians(plan: MaintenancePlan) -> list[Technician]:
    technician = plan.default_technician
    return [technician] if technician is not None and technician.user.is_active else []


@transaction.atomic
def maintenance_plan_generate(*, plan: MaintenancePlan, today: date) -> list[Intervention]:
    """Open the preventive interventions a plan owes as of `today`, then move its due date on.

    Every due date whose lead time has begun gets exactly one intervention: the plan's row lock
    serialises concurrent runs, a due date already served is skipped, and the unique constraint on
    plan + due date backs both up. The plan then advances interval by interval until its next due
    date lies beyond the lead time.
    """
    plan = (
        MaintenancePlan.objects.select_for_update(of=("self",))
        .select_related("equipment__client", "equipment__site", "default_technician__user")
        .get(pk=plan.pk)
    )
    created = []
    plan.due_day = plan.due_day or plan.next_due_date.day
    while plan.next_due_date - timedelta(days=plan.lead_days) <= today:
        if not Intervention.objects.filter(maintenance_plan=plan, due_date=plan.next_due_date).exists():
            created.append(_preventive_intervention(plan))
        plan.next_due_date = plan_step(
            plan.next_due_date, value=plan.interval_value, unit=plan.interval_unit, due_day=plan.due_day
        )
    if created:
        plan.last_generated_at = timezone.now()
    plan.save(update_fields=["next_due_date", "due_day", "last_generated_at", "updated_at"])
    return created


def _preventive_intervention(plan: MaintenancePlan) -> Intervention:
    equipment = plan.equipment
    return intervention_create(
        by=None,
        client=equipment.client,
        site=equipment.site,
        equipment=equipment,
        maintenance_plan=plan,
        technicians=_plan_technicians(plan),
        title=plan.title,
        description=plan.description,
        type=InterventionType.PREVENTIVE,
        priority=plan.priority,
        due_date=plan.next_due_date,
    )
