from django.db import migrations

from erp_mif.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("equipment", "0001_initial")]

    operations = [trigram_indexes(("equipment_equipment", "name"), ("equipment_equipment", "serial_number"), ("equipment_equipment", "brand"), ("equipment_equipment", "model"))]
