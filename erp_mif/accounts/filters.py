from django_filters import rest_framework as filters

from erp_mif.api.filters import FilterSet

from .choices import Role
from .models import User


class UserFilterSet(FilterSet):
    role = filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = User
        fields = ["role", "is_active"]
