from rest_framework import serializers

from erp_mif.api.serializers import ModelSerializer

from ..models import Notification


class NotificationSerializer(ModelSerializer):
    """Everything is read-only: notifications are written by the services, and only marked read here."""

    # The ids of the records it is about, under their resource names: always a JSON object.
    data = serializers.DictField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "message", "data", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class ReadAllSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
