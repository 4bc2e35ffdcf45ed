import json

from django.core.management.base import BaseCommand, CommandError

from erp_mif.core import jobs
from erp_mif.core.jobs import JOBS


class Command(BaseCommand):
    help = "Run one scheduled job now, synchronously, and print what it did."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"one of: {', '.join(JOBS)}")

    def handle(self, *args, name, **options):
        if name not in JOBS:
            raise CommandError(f"unknown job {name!r}; jobs: {', '.join(JOBS)}")
        counts = jobs.run(name)
        self.stdout.write(f"{name}: {json.dumps(counts, ensure_ascii=False, default=str)}")
