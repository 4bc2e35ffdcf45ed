from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    """The database cache's table (CACHE_URL=dbcache://..., the default), so that `migrate` alone is enough:
    the throttles count there. Nothing to do for Redis; running it again changes nothing."""
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0004_job_run_started"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False),
    ]
