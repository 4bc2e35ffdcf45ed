from erp_mif.api.export import CsvExportMixin
from erp_mif.api.views import ErpModelViewSet
from interventions.selectors import with_maintenance_dates

from .. import selectors, services
from ..filters import EquipmentFilterSet
from .serializers import EQUIPMENT_FIELDS, EquipmentSerializer


class EquipmentViewSet(CsvExportMixin, ErpModelViewSet):
    rbac_resource = "equipment"
    queryset = with_maintenance_dates(selectors.equipment_list())
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
