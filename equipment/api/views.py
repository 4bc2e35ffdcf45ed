from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from erp_mif import rbac
from erp_mif.api.export import CsvExportMixin
from erp_mif.api.views import ErpModelViewSet
from interventions.api.serializers import InterventionSerializer
from interventions.selectors import intervention_queryset

from .. import selectors, services
from ..filters import EquipmentFilterSet
from .serializers import EQUIPMENT_FIELDS, EquipmentSerializer


class EquipmentViewSet(CsvExportMixin, ErpModelViewSet):
    rbac_resource = "equipment"
    queryset = selectors.equipment_list()
    serializer_class = EquipmentSerializer
    filterset_class = EquipmentFilterSet
    search_fields = ["name", "serial_number", "brand", "model", "client__name"]
    ordering_fields = ["name", "serial_number", "installation_date", "warranty_end", "created_at"]
    ordering = ["-created_at", "-id"]
    export_fields = EQUIPMENT_FIELDS
    export_basename = "equipment"

    def perform_create(self, serializer):
        serializer.instance = self.reread(services.equipment_create(**serializer.validated_data))

    def perform_update(self, serializer):
        equipment = services.equipment_update(equipment=serializer.instance, **serializer.validated_data)
        serializer.instance = self.reread(equipment)

    def perform_destroy(self, instance):
        services.equipment_delete(equipment=instance)

    @extend_schema(responses={200: InterventionSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def interventions(self, request, pk=None):
        """The maintenance history of one machine, newest first; a technician sees his own part of it."""
        equipment = self.get_object()
        history = rbac.scoped(intervention_queryset().filter(equipment=equipment), request.user, "intervention")
        page = self.paginate_queryset(history.order_by("-created_at", "-id"))
        serializer = InterventionSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)
