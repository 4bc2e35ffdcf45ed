"""Who is on the other end of a request."""

from django.conf import settings
from rest_framework import throttling


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the left-most X-Forwarded-For when a trusted proxy sets it (USE_X_FORWARDED_FOR)."""
    if settings.USE_X_FORWARDED_FOR and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's, counting per client the way the login lockout does (`client_ip`): DRF's own ident reads
    X-Forwarded-For whatever the deployment, so a forged header gave each request a new count."""

    def get_ident(self, request):
        return client_ip(request)
