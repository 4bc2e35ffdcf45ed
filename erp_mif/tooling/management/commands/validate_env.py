"""`manage.py validate_env`: lists every problem of the environment, exits non-zero when there is one."""

from django.core.management.base import BaseCommand, CommandError

from erp_mif.tooling.envcheck import find_problems


class Command(BaseCommand):
    help = "Checks secrets, database, media storage and email settings; lists each problem found."
    # Report our own findings even when a system check would stop the command first.
    requires_system_checks = []

    def handle(self, *args, **options):
        problems = find_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the environment")
        self.stdout.write(self.style.SUCCESS("environment OK"))
