"""Reads of equipment as the API shows it: names joined, maintenance dates computed in the same query."""

from django.db.models import Max, Min, QuerySet

from erp_mif.core.queries import per_row_aggregate
from interventions.choices import InterventionStatus
from interventions.models import Intervention, MaintenancePlan

from .models import Equipment


def equipment_list() -> QuerySet[Equipment]:
    """Equipment with `last_intervention_at` (latest completion of its completed interventions) and
    `next_maintenance_date` (earliest due date of its active maintenance plans); None when there is none."""
    completed = Intervention.objects.filter(status=InterventionStatus.COMPLETED)
    active_plans = MaintenancePlan.objects.filter(is_active=True)
    return Equipment.objects.select_related("client", "site").annotate(
        last_intervention_at=per_row_aggregate(completed, "equipment", Max("completed_at")),
        next_maintenance_date=per_row_aggregate(active_plans, "equipment", Min("next_due_date")),
    )
