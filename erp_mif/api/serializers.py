"""Serializer pieces every app shares."""

from rest_framework import serializers


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record by id. Ids are whole numbers: 1.5 is refused rather than read as 1."""

    def to_internal_value(self, data):
        if isinstance(data, float) and not data.is_integer():
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
