from django.core.management.base import BaseCommand

from erp_mif.core.jobs import JOBS
from erp_mif.core.schedules import setup_schedules


class Command(BaseCommand):
    help = (
        "Create or update the django-q2 schedule of every job (declared in each app's tasks.py), by name. Idempotent."
    )

    def handle(self, *args, **options):
        counts = setup_schedules()
        self.stdout.write(
            f"{len(JOBS)} jobs: {counts['created']} created, {counts['updated']} updated, {counts['removed']} removed"
        )
