from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters

from erp_mif.api.filters import FilterSet, MultipleChoiceFilter, StorableDateTimeFilter, StrictBooleanFilter

from .choices import InterventionPriority, InterventionStatus, InterventionType
from .models import Intervention, MaintenancePlan
from .selectors import Assignment, overdue_q


class InterventionFilterSet(FilterSet):
    status = MultipleChoiceFilter(choices=InterventionStatus.choices)
    priority = MultipleChoiceFilter(choices=InterventionPriority.choices)
    type = MultipleChoiceFilter(choices=InterventionType.choices)
    technician = filters.NumberFilter(field_name="technicians", method="filter_technician")
    # The contract's window filter: interventions whose scheduled window overlaps [from, to).
    scheduled_from = StorableDateTimeFilter(field_name="scheduled_end", lookup_expr="gt")
    scheduled_to = StorableDateTimeFilter(field_name="scheduled_start", lookup_expr="lt")
    overdue = StrictBooleanFilter(method="filter_overdue")

    class Meta:
        model = Intervention
        fields = ["status", "priority", "type", "client", "site", "equipment", "technician"]

    def filter_technician(self, queryset, name, value):
        # EXISTS, not a join: a join repeats rows, and the DISTINCT that undoes it sorts the whole list.
        return queryset.filter(Exists(Assignment.objects.filter(intervention=OuterRef("pk"), technician=value)))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


class MaintenancePlanFilterSet(FilterSet):
    due_before = filters.DateFilter(field_name="next_due_date", lookup_expr="lt")
    is_active = StrictBooleanFilter()

    class Meta:
        model = MaintenancePlan
        fields = ["equipment", "is_active", "due_before"]
