from equipment.selectors import with_equipment_count
from erp_mif.api.export import CsvExportMixin
from erp_mif.api.views import ErpModelViewSet

from .. import selectors, services
from ..filters import ClientFilterSet, SiteFilterSet
from .serializers import CLIENT_FIELDS, ClientSerializer, SiteSerializer


class ClientViewSet(CsvExportMixin, ErpModelViewSet):
    rbac_resource = "client"
    queryset = with_equipment_count(selectors.client_list())
    serializer_class = ClientSerializer
    filterset_class = ClientFilterSet
    search_fields = ["name", "reference", "ice", "city"]
    ordering_fields = ["name", "reference", "created_at"]
    ordering = ["-created_at", "-id"]
    export_fields = CLIENT_FIELDS
    export_basename = "clients"

    def perform_create(self, serializer):
        serializer.instance = self.reread(services.client_create(**serializer.validated_data))

    def perform_update(self, serializer):
        client = services.client_update(client=serializer.instance, **serializer.validated_data)
        serializer.instance = self.reread(client)

    def perform_destroy(self, instance):
        services.client_delete(client=instance)


class SiteViewSet(ErpModelViewSet):
    rbac_resource = "site"
    queryset = selectors.site_list()
    serializer_class = SiteSerializer
    filterset_class = SiteFilterSet
    search_fields = ["name", "city", "address"]
    ordering_fields = ["name", "created_at"]
    ordering = ["-created_at", "-id"]

    def perform_create(self, serializer):
        serializer.instance = self.reread(services.site_create(**serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.reread(services.site_update(site=serializer.instance, **serializer.validated_data))

    def perform_destroy(self, instance):
        services.site_delete(site=instance)
