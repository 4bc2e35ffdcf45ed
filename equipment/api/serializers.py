from rest_framework import serializers

from erp_mif.api.serializers import DateTimeField, IdRelatedField, ModelSerializer

from ..models import Equipment

# The contract's field names, in its order: the API's fields and the CSV export's columns.
EQUIPMENT_FIELDS = [
    "id",
    "serial_number",
    "name",
    "category",
    "brand",
    "model",
    "client",
    "client_name",
    "site",
    "site_name",
    "status",
    "installation_date",
    "warranty_end",
    "location",
    "notes",
    "last_intervention_at",
    "next_maintenance_date",
    "created_at",
    "updated_at",
]


class EquipmentSerializer(ModelSerializer):
    """Equipment; that its site is one of its client's is checked by the services (errors.site)."""

    serializer_related_field = IdRelatedField
    client_name = serializers.CharField(source="client.name", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True, allow_null=True)
    last_intervention_at = DateTimeField(read_only=True, allow_null=True)
    next_maintenance_date = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Equipment
        fields = EQUIPMENT_FIELDS
