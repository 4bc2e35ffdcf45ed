from django.db import migrations

from erp_mif.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [trigram_indexes(("clients_client", "name"), ("clients_client", "reference"), ("clients_client", "city"))]
