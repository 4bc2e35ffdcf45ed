from django.db import migrations

from erp_mif.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [trigram_indexes(("documents_document", "name"))]
