"""Reads of interventions and plans, with everything the API shows computed in the query; and what the pages
of the apps below show of them (equipment's maintenance dates, technicians' open work and free time)."""

from datetime import datetime, time, timedelta

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from equipment.choices import EquipmentStatus
from equipment.models import Equipment
from erp_mif.core.queries import per_row_aggregate
from technicians.models import Technician

from .choices import BOOKING_STATUSES, OPEN_STATUSES, InterventionStatus, InterventionType
from .models import Intervention, MaintenancePlan


def local_day_bounds(day) -> tuple[datetime, datetime]:
    """[00:00, next 00:00) of a calendar day in the business time zone (Africa/Casablanca)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def overdue_q(today=None) -> Q:
    """Open and due before today in Africa/Casablanca: the contract's is_overdue."""
    return Q(status__in=OPEN_STATUSES, due_date__lt=today or timezone.localdate())


def intervention_queryset() -> QuerySet[Intervention]:
    """Interventions with their relations and the computed is_overdue."""
    return (
        Intervention.objects.select_related("client", "site", "equipment")
        .prefetch_related(
            Prefetch("technicians", queryset=Technician.objects.select_related("user").order_by("user__last_name"))
        )
        .annotate(
            is_overdue=Case(When(overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
    )


# ------------------------------------------------------------------------------
# Bookings: the one rule of "is this technician booked then?"
# ------------------------------------------------------------------------------
Assignment = Intervention.technicians.through


def bookings_overlapping(*, start: datetime, end: datetime) -> QuerySet:
    """The assignments (technician, intervention) that book the technician's time on [start, end).

    An intervention books its technicians while scheduled, in progress or on hold, on its window
    [scheduled_start, scheduled_end). Windows are half-open: one ending at 10:00 and another starting
    at 10:00 do not overlap. Schedule conflicts, agendas and availability all ask this.
    """
    return Assignment.objects.filter(
        intervention__status__in=BOOKING_STATUSES,
        intervention__scheduled_start__lt=end,
        intervention__scheduled_end__gt=start,
    )


def technician_schedule(*, technician: Technician, start: datetime, end: datetime) -> QuerySet[Intervention]:
    """The technician's bookings overlapping [start, end), by scheduled_start."""
    booked = bookings_overlapping(start=start, end=end).filter(technician=technician)
    return intervention_queryset().filter(pk__in=booked.values("intervention")).order_by("scheduled_start", "id")


def technicians_free_between(queryset: QuerySet[Technician], *, start: datetime, end: datetime) -> QuerySet[Technician]:
    """The technicians of `queryset` with no booking overlapping [start, end)."""
    return queryset.filter(~Exists(bookings_overlapping(start=start, end=end).filter(technician=OuterRef("pk"))))


def with_open_interventions_count(technicians: QuerySet[Technician]) -> QuerySet[Technician]:
    """`technicians` with `open_interventions_count`: the open interventions naming each, one correlated subquery."""
    open_assignments = Assignment.objects.filter(intervention__status__in=OPEN_STATUSES)
    count = per_row_aggregate(open_assignments, "technician", Count("pk"))
    return technicians.annotate(open_interventions_count=Coalesce(count, Value(0)))


def with_maintenance_dates(equipment: QuerySet[Equipment]) -> QuerySet[Equipment]:
    """`equipment` with `last_intervention_at` (latest completion of its completed interventions) and
    `next_maintenance_date` (earliest due date of its active maintenance plans); None when there is none."""
    completed = Intervention.objects.filter(status=InterventionStatus.COMPLETED)
    active_plans = MaintenancePlan.objects.filter(is_active=True)
    return equipment.annotate(
        last_intervention_at=per_row_aggregate(completed, "equipment", Max("completed_at")),
        next_maintenance_date=per_row_aggregate(active_plans, "equipment", Min("next_due_date")),
    )


def maintenance_plan_queryset() -> QuerySet[MaintenancePlan]:
    return MaintenancePlan.objects.select_related("equipment", "default_technician__user")


def _count_by_status(queryset, field: str, choices) -> dict[str, int]:
    counts = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value in choices.values}


def dashboard(*, interventions: QuerySet[Intervention], technicians: QuerySet[Technician]) -> dict:
    """The figures of GET /dashboard/ in a handful of aggregate queries, whatever the volume.

    `interventions` and `technicians` are already narrowed to what the caller may see.
    """
    now = timezone.now()
    today = timezone.localdate()
    day_start, day_end = local_day_bounds(today)
    month_ago = now - timedelta(days=30)
    scheduled_today = Q(scheduled_start__gte=day_start, scheduled_start__lt=day_end) & ~Q(
        status=InterventionStatus.CANCELLED
    )
    totals = interventions.order_by().aggregate(
        overdue=Count("pk", filter=overdue_q(today)),
        scheduled_today=Count("pk", filter=scheduled_today),
        completed_last_30_days=Count("pk", filter=Q(status=InterventionStatus.COMPLETED, completed_at__gte=month_ago)),
        mean_time_to_repair=Avg(
            ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField()),
            filter=Q(
                type=InterventionType.CORRECTIVE, status=InterventionStatus.COMPLETED, completed_at__gte=month_ago
            ),
        ),
    )
    mttr = totals.pop("mean_time_to_repair")
    in_30_days = today + timedelta(days=30)
    equipment = Equipment.objects.all()
    equipment_totals = equipment.order_by().aggregate(
        warranty_expiring_30_days=Count("pk", filter=Q(warranty_end__gte=today, warranty_end__lte=in_30_days)),
    )
    equipment_totals["maintenance_due_30_days"] = (
        equipment.filter(maintenance_plans__is_active=True, maintenance_plans__next_due_date__lte=in_30_days)
        .distinct()
        .count()
    )
    rows = technicians.select_related("user").order_by("user__last_name", "pk")
    # Counted from the open work (a few percent of all interventions, through the status index), not by
    # joining every technician to all his assignments, closed ones included: 0.5 s on 556,000 assignments.
    open_work = {
        row["technician"]: row
        for row in Assignment.objects.filter(technician__in=technicians, intervention__status__in=OPEN_STATUSES)
        .values("technician")
        .annotate(
            open_interventions=Count("pk"),
            booked_today=Count(
                "pk",
                filter=Q(intervention__status__in=BOOKING_STATUSES)
                & Q(intervention__scheduled_start__gte=day_start, intervention__scheduled_start__lt=day_end),
            ),
        )
        .order_by()
    }
    nothing_open = {"open_interventions": 0, "booked_today": 0}
    return {
        "interventions": {"by_status": _count_by_status(interventions, "status", InterventionStatus), **totals},
        "mean_time_to_repair_hours": round(mttr.total_seconds() / 3600, 2) if mttr is not None else None,
        "equipment": {"by_status": _count_by_status(equipment, "status", EquipmentStatus), **equipment_totals},
        "technicians": [
            {
                "id": row.pk,
                "full_name": row.user.full_name,
                "open_interventions": open_work.get(row.pk, nothing_open)["open_interventions"],
                "scheduled_today": open_work.get(row.pk, nothing_open)["booked_today"],
            }
            for row in rows
        ],
    }
