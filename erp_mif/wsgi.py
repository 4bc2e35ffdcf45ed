import os

from django.core.wsgi import get_wsgi_application
from django.db.backends.signals import connection_created

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp_mif.settings.local")

application = get_wsgi_application()

# Web requests only: migrations, jobs and shell sessions may take longer.
from erp_mif.api.database import limit_statement_time  # noqa: E402 - needs the settings configured above

connection_created.connect(limit_statement_time, dispatch_uid="erp_mif.api.database.limit_statement_time")
