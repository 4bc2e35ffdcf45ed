from erp_mif.api.views import ErpModelViewSet
from interventions.selectors import with_open_interventions_count

from .. import selectors, services
from ..filters import TechnicianFilterSet
from .serializers import TechnicianSerializer


class TechnicianViewSet(ErpModelViewSet):
    """Technicians and their user accounts, made, changed and removed together by the services."""

    rbac_resource = "technician"
    lock_related = ("user",)  # a technician and his user change together (technicians.services)
    queryset = with_open_interventions_count(selectors.technician_list())
    serializer_class = TechnicianSerializer
    filterset_class = TechnicianFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__email", "employee_code", "zone"]
    ordering_fields = ["last_name", "employee_code", "created_at"]
    ordering = ["-created_at", "-id"]

    def perform_create(self, serializer):
        technician = services.technician_create(**serializer.service_arguments())
        serializer.instance = self.reread(technician)

    def perform_update(self, serializer):
        technician = services.technician_update(technician=serializer.instance, **serializer.service_arguments())
        serializer.instance = self.reread(technician)

    def perform_destroy(self, instance):
        services.technician_delete(technician=instance)
