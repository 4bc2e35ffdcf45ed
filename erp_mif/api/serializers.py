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


class RelatedIdsField(serializers.ListField):
    """Records by id, as a list of at most `max_length` ids read in one query (never one query per id, and
    never an unbounded list: 30,000 ids would hold a worker for seconds). Duplicates count once."""

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(child=serializers.IntegerField(min_value=1), **kwargs)

    def to_internal_value(self, data):
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        if self.max_length is not None and len(ids) > self.max_length:
            self.fail("max_length", max_length=self.max_length)  # before the lookup, not after
        found = self.queryset.in_bulk(ids)
        if missing := [pk for pk in ids if pk not in found]:
            message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise serializers.ValidationError([message.format(pk_value=pk) for pk in missing])
        return [found[pk] for pk in ids]

    def to_representation(self, records):
        # .all() reads what the queryset prefetched.
        return [record.pk for record in records.all()]
