from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    """The ground floor: base models, application errors, references, write helpers, the job registry.

    Its label stays "api", the label of 1.0 where these models were born, so that their tables and
    migration history carry over unchanged.
    """

    name = "erp_mif.core"
    label = "api"
    verbose_name = "Platform"

    def ready(self):
        # Every app declares its jobs in its tasks.py (`@job(...)`), like admin.py for the admin site.
        autodiscover_modules("tasks")
