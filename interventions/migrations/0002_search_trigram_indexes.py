from django.db import migrations

from erp_mif.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_initial")]

    operations = [trigram_indexes(("interventions_intervention", "reference"), ("interventions_intervention", "title"))]
