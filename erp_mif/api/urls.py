"""The platform's own endpoints under /api/v1/: health probes, the schema and its docs, and the 404 envelope.

Included last by the composition root (erp_mif/urls.py), after every app's routes.
"""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .errors import page_not_found
from .health import HealthView, LivenessView

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("health/live/", LivenessView.as_view(), name="health-live"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    # An unknown API path is a 404 in the envelope, even with DEBUG on (and for a POST without a
    # CSRF cookie: the API does not use sessions, so Django's CSRF page must not answer instead).
    re_path(r"^", csrf_exempt(page_not_found)),
]
