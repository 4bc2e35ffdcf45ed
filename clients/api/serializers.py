from rest_framework import serializers

from erp_mif.api.serializers import IdRelatedField, ModelSerializer

from ..models import Client, Site

# The contract's field names, in its order: the API's fields and the CSV export's columns.
CLIENT_FIELDS = [
    "id",
    "reference",
    "name",
    "ice",
    "email",
    "phone",
    "address",
    "city",
    "country",
    "contact_name",
    "notes",
    "is_active",
    "equipment_count",
    "created_at",
    "updated_at",
]
SITE_FIELDS = [
    "id",
    "client",
    "client_name",
    "name",
    "address",
    "city",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "is_active",
    "created_at",
    "updated_at",
]


class ClientSerializer(ModelSerializer):
    # ICE and country formats, and ICE uniqueness, come from the model's validators and constraint.
    equipment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        read_only_fields = ["reference"]


class SiteSerializer(ModelSerializer):
    serializer_related_field = IdRelatedField
    client_name = serializers.CharField(source="client.name", read_only=True)

    class Meta:
        model = Site
        fields = SITE_FIELDS
        # Coordinates are JSON numbers (the contract's `numbers` convention), in range per the model.
        extra_kwargs = {"latitude": {"coerce_to_string": False}, "longitude": {"coerce_to_string": False}}
