"""Back office of documents: read them, change their kind, delete them. Uploads go through the API,
which checks the file (size, type from the bytes) before anything is stored."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from erp_mif import rbac
from erp_mif.admin import RbacModelAdmin

from . import downloads, services
from .models import Document


@admin.register(Document)
class DocumentAdmin(RbacModelAdmin):
    rbac_resource = "document"
    list_display = ["name", "kind", "content_type", "size", "target", "uploaded_by", "created_at"]
    list_filter = ["kind", "content_type"]
    list_select_related = ["client", "equipment", "intervention", "uploaded_by"]
    search_fields = ["name", "sha256"]
    fields = [
        "name",
        "kind",
        "content_type",
        "size",
        "sha256",
        "client",
        "equipment",
        "intervention",
        "uploaded_by",
        "download",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [field for field in fields if field != "kind"]
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description=_("attached to"))
    def target(self, document: Document):
        return document.target

    @admin.display(description=_("file"))
    def download(self, document: Document) -> str:
        return format_html('<a href="{}">{}</a>', downloads.download_path(document), _("Download"))

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # Documents have no "update" in the RBAC table: their one change is the kind (partial_update).
        viewer = self.has_view_permission(request, obj)  # first: it checks the user is active staff
        return viewer and rbac.is_allowed(request.user, self.rbac_resource, "partial_update")

    def save_model(self, request, obj, form, change):
        services.document_change_kind(document=obj, kind=form.cleaned_data["kind"])

    def delete_model(self, request, obj):
        services.document_delete(document=obj)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document=document)
