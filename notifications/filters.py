from django_filters import rest_framework as filters

from erp_mif.api.filters import FilterSet, StrictBooleanFilter

from .choices import NotificationKind
from .models import Notification


class NotificationFilterSet(FilterSet):
    is_read = StrictBooleanFilter()
    kind = filters.ChoiceFilter(choices=NotificationKind.choices)

    class Meta:
        model = Notification
        fields = ["is_read", "kind"]
