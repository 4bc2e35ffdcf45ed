from django import forms
from django.contrib import admin

from erp_mif.admin import RbacModelAdmin, service_errors_as_form_errors

from . import services
from .models import Equipment


class EquipmentAdminForm(forms.ModelForm):
    """The admin builds the form's model and fields from EquipmentAdmin; this adds the rules."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("client") is not None:
            with service_errors_as_form_errors():
                services.equipment_check_site(client=cleaned["client"], site=cleaned.get("site"))
        return cleaned


@admin.register(Equipment)
class EquipmentAdmin(RbacModelAdmin):
    rbac_resource = "equipment"
    form = EquipmentAdminForm
    list_display = ["serial_number", "name", "category", "status", "client", "site", "warranty_end"]
    list_filter = ["status", "category", "client__city", "warranty_end"]
    # The site column shows the site's client too (Site.__str__).
    list_select_related = ["client", "site__client"]
    search_fields = ["serial_number", "name", "brand", "model", "client__name", "client__reference"]
    autocomplete_fields = ["client", "site"]
    readonly_fields = ["created_at", "updated_at"]
    show_facets = admin.ShowFacets.NEVER
