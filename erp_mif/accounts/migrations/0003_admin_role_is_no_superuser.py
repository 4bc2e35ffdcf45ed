from django.db import migrations


def admin_role_is_no_superuser(apps, schema_editor):
    """Until now every admin-role account was a superuser (derived from the role); none is any more.

    Operators make their own superuser afterwards with `manage.py createsuperuser` (see README).
    """
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_superuser=True).update(is_superuser=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_email_normalised"),
    ]

    operations = [
        migrations.RunPython(admin_role_is_no_superuser, migrations.RunPython.noop),
    ]
