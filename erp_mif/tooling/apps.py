from django.apps import AppConfig


class ToolingConfig(AppConfig):
    """Checks for operators and CI: `validate_env` (the environment) and `validate_contract` (the API surface)."""

    name = "erp_mif.tooling"
    label = "tooling"
    verbose_name = "Tooling"
