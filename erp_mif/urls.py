from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "MIF Maroc — back office"
admin.site.site_title = "MIF Maroc"
admin.site.index_title = "Administration"

urlpatterns = [
    path("api/v1/", include("erp_mif.api.urls")),
    path("admin/", admin.site.urls),
]

# Unknown paths and uncaught errors answer in the API's error envelope too.
handler400 = "erp_mif.api.errors.bad_request"
handler403 = "erp_mif.api.errors.permission_denied"
handler404 = "erp_mif.api.errors.page_not_found"
handler500 = "erp_mif.api.errors.server_error"
