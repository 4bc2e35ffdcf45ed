"""The composition root of the routes: every app's API under /api/v1/, then the platform's, and the admin."""

from django.contrib import admin
from django.urls import include, path

from erp_mif.accounts.admin import LockoutAdminAuthenticationForm

admin.site.site_header = "MIF Maroc — back office"
admin.site.site_title = "MIF Maroc"
admin.site.index_title = "Administration"
admin.site.login_form = LockoutAdminAuthenticationForm

api_v1 = [
    path("", include("erp_mif.accounts.api.urls")),
    path("", include("clients.api.urls")),
    path("", include("equipment.api.urls")),
    path("", include("technicians.api.urls")),
    path("", include("interventions.api.urls")),
    path("", include("documents.api.urls")),
    path("", include("notifications.api.urls")),
    # Last: it ends with the catch-all that answers unknown API paths with the 404 envelope.
    path("", include("erp_mif.api.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]

# Unknown paths and uncaught errors answer in the API's error envelope too.
handler400 = "erp_mif.api.errors.bad_request"
handler403 = "erp_mif.api.errors.permission_denied"
handler404 = "erp_mif.api.errors.page_not_found"
handler500 = "erp_mif.api.errors.server_error"
