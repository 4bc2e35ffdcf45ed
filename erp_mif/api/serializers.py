"""Serializer pieces every app shares."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from erp_mif.core.emails import normalise_email, validate_ascii_email


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record by id. Ids are whole numbers: 1.5 is refused rather than read as 1."""

    def to_internal_value(self, data):
        if isinstance(data, float) and not data.is_integer():
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class EmailAddressField(serializers.EmailField):
    """An email in the one form users' emails are stored and compared in (erp_mif.core.emails), so that
    the uniqueness checks that follow compare what the database will hold."""

    def to_internal_value(self, data):
        value = normalise_email(super().to_internal_value(data))
        try:
            validate_ascii_email(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value
