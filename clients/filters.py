from erp_mif.api.filters import FilterSet

from .models import Client, Site


class ClientFilterSet(FilterSet):
    class Meta:
        model = Client
        fields = ["city", "is_active"]


class SiteFilterSet(FilterSet):
    class Meta:
        model = Site
        fields = ["client", "city", "is_active"]
