"""Back office of clients and sites: same rights (RBAC), same rules (services) as the API."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from equipment.selectors import with_equipment_count
from erp_mif.admin import RbacAdminMixin, RbacModelAdmin, service_errors_as_form_errors
from erp_mif.core.writes import is_taken, unique_message

from . import services
from .models import Client, Site


class SiteInline(RbacAdminMixin, admin.TabularInline):
    rbac_resource = "site"
    model = Site
    fields = ["name", "city", "address", "contact_name", "contact_phone", "is_active"]
    extra = 0
    show_change_link = True


class ClientAdminForm(forms.ModelForm):
    """The admin builds the form's model and fields from ClientAdmin; this adds the rules."""

    def clean_ice(self) -> str:
        # The constraint is conditional (unique when set): Django would report it off the field.
        ice = self.cleaned_data["ice"]
        if is_taken(self.instance, "ice", ice):
            raise ValidationError(unique_message(self.instance, "ice"))
        return ice


@admin.register(Client)
class ClientAdmin(RbacModelAdmin):
    rbac_resource = "client"
    form = ClientAdminForm
    list_display = ["reference", "name", "city", "ice", "is_active", "equipment_count"]
    list_filter = ["is_active", "city", "country"]
    search_fields = ["reference", "name", "ice", "city", "email", "contact_name"]
    readonly_fields = ["reference", "created_at", "updated_at"]
    show_facets = admin.ShowFacets.NEVER
    inlines = [SiteInline]

    def get_queryset(self, request):
        return with_equipment_count(super().get_queryset(request))

    @admin.display(description=_("equipment"), ordering="equipment_count")
    def equipment_count(self, client: Client) -> int:
        return client.equipment_count

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The reference comes from the service; the admin then goes on with `obj` (inline sites,
        # history, redirect), so `obj` becomes the record the service created.
        obj.pk = services.client_create(**form.cleaned_data).pk
        obj.refresh_from_db()


class SiteAdminForm(forms.ModelForm):
    """The admin builds the form's model and fields from SiteAdmin; this adds the rules."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("client") is not None:
            with service_errors_as_form_errors():
                services.site_check_client_change(site=self.instance, client=cleaned["client"])
        return cleaned


@admin.register(Site)
class SiteAdmin(RbacModelAdmin):
    rbac_resource = "site"
    form = SiteAdminForm
    list_display = ["name", "client", "city", "is_active", "created_at"]
    list_filter = ["is_active", "city", "client__city"]
    list_select_related = ["client"]
    search_fields = ["name", "city", "address", "client__name", "client__reference"]
    autocomplete_fields = ["client"]
    readonly_fields = ["created_at", "updated_at"]
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        # A site's name shows its client's (Site.__str__): autocomplete answers read it per row.
        return super().get_queryset(request).select_related("client")
