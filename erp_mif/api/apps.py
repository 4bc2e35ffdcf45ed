from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API platform: conventions shared by every app (errors, pagination, ETag, idempotency, health)."""

    name = "erp_mif.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from . import schema  # noqa: F401 - registers the OpenAPI extensions
