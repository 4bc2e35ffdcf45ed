from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from erp_mif.api.views import ErpModelViewSet
from interventions.api.serializers import InterventionSerializer, ScheduleWindowSerializer
from interventions.selectors import technician_schedule

from .. import selectors, services
from ..filters import TechnicianFilterSet
from .serializers import TechnicianSerializer


class TechnicianViewSet(ErpModelViewSet):
    """Technicians and their user accounts, made, changed and removed together by the services."""

    rbac_resource = "technician"
    queryset = selectors.technician_list()
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

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATETIME, required=True),
            OpenApiParameter("to", OpenApiTypes.DATETIME, required=True, description="at most 62 days after from"),
        ],
        responses={200: InterventionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def schedule(self, request, pk=None):
        """The technician's scheduled, in-progress and on-hold interventions in [from, to), by start."""
        technician = self.get_object()
        window = ScheduleWindowSerializer(data=request.query_params)
        window.is_valid(raise_exception=True)
        bookings = technician_schedule(
            technician=technician, start=window.validated_data["from"], end=window.validated_data["to"]
        )
        return Response(InterventionSerializer(bookings, many=True, context=self.get_serializer_context()).data)
