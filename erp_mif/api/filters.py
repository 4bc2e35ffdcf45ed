from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_filters import rest_framework as django_rest_filters
from django_filters.fields import IsoDateTimeField
from rest_framework import exceptions, filters


class OrderingFilter(filters.OrderingFilter):
    """?ordering= with the contract's field names; unknown names are ignored.

    A view may map a public name to another field (`ordering_aliases = {"priority": "priority_rank"}`),
    and `id` breaks ties so that pages never overlap.
    """

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        aliases = getattr(view, "ordering_aliases", {})
        mapped = []
        for field in ordering:
            descending, name = field.startswith("-"), field.lstrip("-")
            mapped.append(("-" if descending else "") + aliases.get(name, name))
        if not any(field.lstrip("-") == "id" for field in mapped):
            mapped.append("-id" if mapped[0].startswith("-") else "id")
        return mapped


class SearchFilter(filters.SearchFilter):
    """?search= of at most MAX_TERMS words of at most MAX_TERM_LENGTH characters each, else 400.

    Each word adds a LIKE per search field, OR-ed across joins: 200 one-letter words took PostgreSQL
    9-20 s to plan, and 1,950 killed the worker while its query ran on.
    """

    MAX_TERMS = 10
    MAX_TERM_LENGTH = 100

    def get_search_terms(self, request):
        terms = super().get_search_terms(request)
        if len(terms) > self.MAX_TERMS or any(len(term) > self.MAX_TERM_LENGTH for term in terms):
            message = _("At most %(terms)s words of at most %(length)s characters each.") % {
                "terms": self.MAX_TERMS,
                "length": self.MAX_TERM_LENGTH,
            }
            raise exceptions.ValidationError({self.search_param: [message]})
        return terms


class StrictBooleanField(forms.NullBooleanField):
    """true/false or 1/0, any case; another value is invalid (400) instead of silently meaning "no filter"."""

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"], code="invalid", params={"value": value}
            ) from None


# Derived from django-filter's plain BooleanFilter: the REST one adds a widget reading unknown values as None.
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StorableDateTimeField(IsoDateTimeField):
    """An ISO 8601 datetime that still falls within years 1-9999 once in UTC, where the database compares it."""

    def to_python(self, value):
        result = super().to_python(value)
        try:
            return result and result.astimezone(UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class StorableDateTimeFilter(django_rest_filters.IsoDateTimeFilter):
    field_class = StorableDateTimeField


class MultipleChoiceFilter(django_rest_filters.MultipleChoiceFilter):
    """?status=new&status=scheduled on a column of the row itself: no join can repeat a row, so no DISTINCT.

    django-filter's default (distinct=True) made the list's count a COUNT over a SELECT DISTINCT of every
    column: 5 to 12 times slower on 500,000 interventions.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class FilterSet(django_rest_filters.FilterSet):
    """The base of every app's FilterSet: a boolean field filters with StrictBooleanFilter (another value is a
    400, never a silently ignored filter)."""

    FILTER_DEFAULTS = {
        **django_rest_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }
