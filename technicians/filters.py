from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from erp_mif.api.filters import FilterSet, StorableDateTimeFilter, StrictBooleanFilter
from interventions.selectors import technicians_free_between

from . import selectors
from .models import Technician


class AvailabilityWindowForm(forms.Form):
    """available_from and available_to make one window: both or neither, and `to` after `from`.

    Every window error is reported under available_to, the bound a client adjusts.
    """

    def clean(self):
        cleaned = super().clean()
        if self.has_error("available_from") or self.has_error("available_to"):
            return cleaned
        start, end = cleaned.get("available_from"), cleaned.get("available_to")
        if (start is None) != (end is None):
            self.add_error("available_to", _("available_from and available_to must be given together."))
        elif start is not None and end <= start:
            self.add_error("available_to", _("available_to must be after available_from."))
        return cleaned


AVAILABILITY_HELP = _(
    "With available_from and available_to (both required): technicians with no scheduled, in-progress or on-hold "
    "intervention overlapping [available_from, available_to). A datetime without offset is in Africa/Casablanca."
)


class TechnicianFilterSet(FilterSet):
    zone = filters.CharFilter()
    skill = filters.CharFilter(method="filter_skill", label=_("Technicians having this skill (any case)."))
    is_active = StrictBooleanFilter(field_name="user__is_active")
    available_from = StorableDateTimeFilter(method="filter_available", label=AVAILABILITY_HELP)
    available_to = StorableDateTimeFilter(method="filter_available", label=AVAILABILITY_HELP)

    class Meta:
        model = Technician
        fields = ["zone", "skill", "is_active", "available_from", "available_to"]
        form = AvailabilityWindowForm

    def filter_skill(self, queryset, name: str, value: str):
        return selectors.technicians_with_skill(queryset, value)

    def filter_available(self, queryset, name: str, value: datetime):
        # The two bounds make one window (the form ensures both are there): apply it once, with its end.
        if name != "available_to":
            return queryset
        return technicians_free_between(queryset, start=self.form.cleaned_data["available_from"], end=value)
