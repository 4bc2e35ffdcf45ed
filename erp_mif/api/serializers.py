"""Serializer pieces every app shares."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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


def _flat_messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flat_messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _flat_messages(value)]
    return [detail]


class RelatedIdsField(serializers.ListField):
    """Records by id, as a list of at most `max_length` ids read in one query (never one query per id, and
    never an unbounded list: 30,000 ids would hold a worker for seconds). Duplicates count once."""

    MAX_ID = 2**63 - 1  # a bigint: larger ids exist in no table, and SQLite refuses to compare them

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=self.MAX_ID), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)  # before reading a single id
        try:
            ids = list(dict.fromkeys(super().to_internal_value(data)))
        except serializers.ValidationError as exc:
            # ListField keys its children's errors by position; the contract's errors are lists of messages.
            raise serializers.ValidationError(_flat_messages(exc.detail)) from exc
        found = self.queryset.in_bulk(ids)
        if missing := [pk for pk in ids if pk not in found]:
            message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise serializers.ValidationError([message.format(pk_value=pk) for pk in missing])
        return [found[pk] for pk in ids]

    def to_representation(self, records):
        # .all() reads what the queryset prefetched.
        return [record.pk for record in records.all()]


class DateTimeField(serializers.DateTimeField):
    """A datetime from 2000 to 2099 (the years work orders live in; a year 1900 or 9999 is a typing slip),
    written in the business time zone with an RFC 3339 offset: in UTC where that zone's offset is not a
    whole number of minutes (Casablanca's local mean time before 1913, -00:30:20)."""

    EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
    END = datetime(2100, 1, 1, tzinfo=UTC)
    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "out_of_range": _("Use a date from 2000 to 2099."),
    }

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not self.EARLIEST <= result < self.END:
            self.fail("out_of_range")
        return result

    def to_representation(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            offset = self.enforce_timezone(value).utcoffset()
            if offset is not None and offset.seconds % 60:
                return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return super().to_representation(value)


# The base of every model serializer: the project's DateTimeField for the models' datetimes. (A comment, not
# a docstring: the OpenAPI document would give it to every serializer that has none of its own.)
class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }
