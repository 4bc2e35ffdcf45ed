from datetime import timedelta

from django.utils.translation import gettext as _
from rest_framework import serializers

from clients.models import Client, Site
from equipment.models import Equipment
from erp_mif.api.serializers import DateTimeField, IdRelatedField, ModelSerializer, RelatedIdsField
from technicians.models import Technician

from ..choices import MAX_TECHNICIANS, InterventionPriority
from ..models import Intervention, InterventionEvent, MaintenancePlan
from ..services import SYSTEM_FIELDS

INTERVENTION_FIELDS = [
    "id",
    "reference",
    "title",
    "description",
    "type",
    "priority",
    "status",
    "client",
    "client_name",
    "site",
    "equipment",
    "equipment_name",
    "technicians",
    "technician_names",
    "scheduled_start",
    "scheduled_end",
    "due_date",
    "started_at",
    "completed_at",
    "cancelled_at",
    "cancel_reason",
    "hold_reason",
    "report",
    "labor_minutes",
    "is_overdue",
    "maintenance_plan",
    "created_by",
    "created_at",
    "updated_at",
]


class InterventionSerializer(ModelSerializer):
    """A work order as the contract shows it; status and the action fields are read-only."""

    client = IdRelatedField(queryset=Client.objects.all())
    site = IdRelatedField(queryset=Site.objects.all(), allow_null=True, required=False)
    equipment = IdRelatedField(queryset=Equipment.objects.all(), allow_null=True, required=False)
    technicians = RelatedIdsField(queryset=Technician.objects.all(), max_length=MAX_TECHNICIANS, required=False)
    client_name = serializers.CharField(source="client.name", read_only=True)
    equipment_name = serializers.CharField(source="equipment.name", read_only=True, allow_null=True, default=None)
    technician_names = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Intervention
        fields = INTERVENTION_FIELDS
        read_only_fields = SYSTEM_FIELDS

    def get_technician_names(self, intervention) -> list[str]:
        return [technician.user.full_name for technician in intervention.technicians.all()]


class AssignSerializer(serializers.Serializer):
    technicians = RelatedIdsField(queryset=Technician.objects.all(), max_length=MAX_TECHNICIANS, allow_empty=False)
    scheduled_start = DateTimeField()
    scheduled_end = DateTimeField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CompleteSerializer(serializers.Serializer):
    report = serializers.CharField()
    labor_minutes = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)


class InterventionEventSerializer(ModelSerializer):
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = InterventionEvent
        fields = ["at", "user", "user_name", "action", "changes"]

    def get_user_name(self, event) -> str:
        return event.user.full_name if event.user is not None else "system"


class MaintenancePlanSerializer(ModelSerializer):
    equipment_name = serializers.CharField(source="equipment.name", read_only=True)
    priority = serializers.ChoiceField(choices=InterventionPriority.choices, default=InterventionPriority.NORMAL)
    lead_days = serializers.IntegerField(min_value=0, max_value=3650, default=7)
    interval_value = serializers.IntegerField(min_value=1, max_value=1000)

    class Meta:
        model = MaintenancePlan
        fields = [
            "id",
            "equipment",
            "equipment_name",
            "title",
            "description",
            "interval_value",
            "interval_unit",
            "next_due_date",
            "lead_days",
            "priority",
            "default_technician",
            "is_active",
            "last_generated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_generated_at", "created_at", "updated_at"]


class DashboardSerializer(serializers.Serializer):
    interventions = serializers.DictField()
    mean_time_to_repair_hours = serializers.FloatField(allow_null=True)
    equipment = serializers.DictField()
    technicians = serializers.ListField(child=serializers.DictField())


class ScheduleWindowSerializer(serializers.Serializer):
    """?from=&to= of a technician's agenda: both required, `to` after `from`, at most 62 days apart."""

    MAX_DAYS = 62
    to = DateTimeField()

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        return {"from": DateTimeField(), **super().get_fields()}

    def validate(self, attrs):
        start, end = attrs["from"], attrs["to"]
        if end <= start:
            raise serializers.ValidationError({"to": [_("'to' must be after 'from'.")]})
        if end - start > timedelta(days=self.MAX_DAYS):
            raise serializers.ValidationError(
                {"to": [_("The window is limited to %(days)d days.") % {"days": self.MAX_DAYS}]}
            )
        return attrs
