from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from equipment.selectors import equipment_list
from erp_mif import rbac
from erp_mif.api.export import CsvExportMixin
from erp_mif.api.views import ApiView, ErpGenericViewSet, ErpModelViewSet
from technicians.models import Technician
from technicians.selectors import technician_list

from .. import selectors, services
from ..filters import InterventionFilterSet, MaintenancePlanFilterSet
from ..models import Intervention
from .serializers import (
    INTERVENTION_FIELDS,
    AssignSerializer,
    CompleteSerializer,
    DashboardSerializer,
    InterventionEventSerializer,
    InterventionSerializer,
    MaintenancePlanSerializer,
    ReasonSerializer,
    ScheduleWindowSerializer,
)


class InterventionViewSet(CsvExportMixin, ErpModelViewSet):
    rbac_resource = "intervention"
    queryset = selectors.intervention_queryset()
    serializer_class = InterventionSerializer
    filterset_class = InterventionFilterSet
    search_fields = ["reference", "title", "client__name", "equipment__serial_number"]
    ordering_fields = ["scheduled_start", "due_date", "priority", "created_at", "reference"]
    ordering_aliases = {"priority": "priority_rank"}
    export_fields = INTERVENTION_FIELDS
    export_basename = "interventions"

    def perform_create(self, serializer):
        intervention = services.intervention_create(by=self.request.user, **serializer.validated_data)
        serializer.instance = self.reread(intervention)

    def perform_update(self, serializer):
        data = serializer.validated_data
        intervention = services.intervention_update(intervention=serializer.instance, by=self.request.user, **data)
        serializer.instance = self.reread(intervention)

    def perform_destroy(self, instance):
        services.intervention_delete(intervention=instance)

    def _run(self, service, input_serializer=None) -> Response:
        intervention = self.get_object()
        data = {}
        if input_serializer is not None:
            serializer = input_serializer(data=self.request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        done = service(intervention=intervention, by=self.request.user, **data)
        return Response(self.get_serializer(self.reread(done)).data)

    @extend_schema(request=AssignSerializer, responses={200: InterventionSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._run(services.intervention_assign, AssignSerializer)

    @extend_schema(request=None, responses={200: InterventionSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._run(services.intervention_start)

    @extend_schema(request=ReasonSerializer, responses={200: InterventionSerializer})
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._run(services.intervention_hold, ReasonSerializer)

    @extend_schema(request=None, responses={200: InterventionSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._run(services.intervention_resume)

    @extend_schema(request=CompleteSerializer, responses={200: InterventionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._run(services.intervention_complete, CompleteSerializer)

    @extend_schema(request=ReasonSerializer, responses={200: InterventionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._run(services.intervention_cancel, ReasonSerializer)

    @extend_schema(responses={200: InterventionEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        events = self.get_object().events.select_related("user").order_by("at", "id")
        return Response(InterventionEventSerializer(events, many=True).data)


class MaintenancePlanViewSet(ErpModelViewSet):
    rbac_resource = "maintenance_plan"
    queryset = selectors.maintenance_plan_queryset()
    serializer_class = MaintenancePlanSerializer
    filterset_class = MaintenancePlanFilterSet
    search_fields = ["title", "equipment__serial_number"]
    ordering_fields = ["next_due_date", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.maintenance_plan_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.maintenance_plan_update(plan=serializer.instance, **serializer.validated_data)


class DashboardView(ApiView):
    rbac_resource = "dashboard"
    rbac_action = "retrieve"

    @extend_schema(responses={200: DashboardSerializer})
    def get(self, request):
        user = request.user
        interventions = rbac.scoped(Intervention.objects.all(), user, "intervention")
        technicians = rbac.scoped(Technician.objects.filter(user__is_active=True), user, "dashboard")
        return Response(selectors.dashboard(interventions=interventions, technicians=technicians))


# The interventions seen from the records below them: served here, where interventions are known;
# routed under those records' paths and guarded by their RBAC rows (interventions/api/urls.py).
class EquipmentInterventionsViewSet(ErpGenericViewSet):
    """GET /equipment/{id}/interventions/."""

    rbac_resource = "equipment"
    queryset = equipment_list()
    filter_backends = []  # the equipment is looked up by id alone; the list's filters are not for it

    @extend_schema(responses={200: InterventionSerializer(many=True)}, filters=False)
    def interventions(self, request, pk=None):
        """The maintenance history of one machine, newest first; a technician sees his own part of it."""
        equipment = self.get_object()
        history = rbac.scoped(
            selectors.intervention_queryset().filter(equipment=equipment), request.user, "intervention"
        )
        page = self.paginate_queryset(history.order_by("-created_at", "-id"))
        serializer = InterventionSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


class TechnicianScheduleViewSet(ErpGenericViewSet):
    """GET /technicians/{id}/schedule/."""

    rbac_resource = "technician"
    queryset = technician_list()
    filter_backends = []
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATETIME, required=True),
            OpenApiParameter("to", OpenApiTypes.DATETIME, required=True, description="at most 62 days after from"),
        ],
        responses={200: InterventionSerializer(many=True)},
    )
    def schedule(self, request, pk=None):
        """The technician's scheduled, in-progress and on-hold interventions in [from, to), by start."""
        technician = self.get_object()
        window = ScheduleWindowSerializer(data=request.query_params)
        window.is_valid(raise_exception=True)
        bookings = selectors.technician_schedule(
            technician=technician, start=window.validated_data["from"], end=window.validated_data["to"]
        )
        return Response(InterventionSerializer(bookings, many=True, context=self.get_serializer_context()).data)
