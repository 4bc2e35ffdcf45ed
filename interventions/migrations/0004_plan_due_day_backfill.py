import django.core.validators
from django.db import migrations, models
from django.db.models.functions import ExtractDay


def backfill_due_day(apps, schema_editor):
    """Plans made before due_day existed aim at the day of their next due date."""
    MaintenancePlan = apps.get_model("interventions", "MaintenancePlan")
    MaintenancePlan.objects.filter(due_day__isnull=True).update(due_day=ExtractDay("next_due_date"))


class Migration(migrations.Migration):
    dependencies = [("interventions", "0003_maintenance_plan_due_day")]

    operations = [
        migrations.RunPython(backfill_due_day, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="maintenanceplan",
            name="lead_days",
            field=models.PositiveIntegerField(default=7, validators=[django.core.validators.MaxValueValidator(3650)]),
        ),
    ]
