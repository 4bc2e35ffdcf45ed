from django_filters import rest_framework as filters

from .models import Client, Site


class ClientFilterSet(filters.FilterSet):
    class Meta:
        model = Client
        fields = ["city", "is_active"]


class SiteFilterSet(filters.FilterSet):
    class Meta:
        model = Site
        fields = ["client", "city", "is_active"]
