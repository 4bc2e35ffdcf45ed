from django_filters import rest_framework as filters

from erp_mif.api.filters import FilterSet, MultipleChoiceFilter

from .choices import EquipmentStatus
from .models import Equipment


class EquipmentFilterSet(FilterSet):
    # ?status=operational&status=out_of_order selects either.
    status = MultipleChoiceFilter(choices=EquipmentStatus.choices)
    warranty_expires_before = filters.DateFilter(field_name="warranty_end", lookup_expr="lt")

    class Meta:
        model = Equipment
        fields = ["client", "site", "status", "category"]
