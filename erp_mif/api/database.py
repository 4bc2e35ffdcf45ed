"""The database as the web workers use it: no statement outlives the request that sent it."""

from django.conf import settings


def limit_statement_time(sender, connection, **kwargs) -> None:
    """On each new connection of a web worker (erp_mif/wsgi.py): PostgreSQL cancels a statement running past
    REQUEST_STATEMENT_TIMEOUT seconds (the request answers 503), so a query whose worker was killed by the
    server's own timeout does not run on alone. Set it below that timeout; 0 turns it off."""
    seconds = settings.REQUEST_STATEMENT_TIMEOUT
    if connection.vendor == "postgresql" and seconds:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{seconds}s"])
