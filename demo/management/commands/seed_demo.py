import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.accounts import DEMO_ACCOUNTS, seed_accounts
from demo.domain import contract_technician_profile, seed_domain
from demo.large import seed_large
from erp_mif.accounts.choices import Role

# Demo only (documented in the README); the command refuses production settings.
DEFAULT_DEMO_PASSWORD = "MifMaroc-2026!"  # noqa: S105
DEMO, LARGE = "demo", "large"


class Command(BaseCommand):
    help = (
        "Create the demo accounts and demo data (--size demo, what `make run` seeds), or the benchmark "
        "data set (--size large: 2,000 clients, 50,000 equipment, 500,000 interventions). "
        "Refuses production settings unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD,
            help="password of every demo account (default: $DEMO_PASSWORD, else the README's)",
        )
        parser.add_argument("--force", action="store_true", help="run even with production settings")
        parser.add_argument(
            "--size",
            choices=(DEMO, LARGE),
            default=DEMO,
            help="demo: a dozen clients, seeded once (default); large: bulk data for benchmarks, takes minutes",
        )

    def handle(self, *args, password, force, size, **options):
        if settings.ENVIRONMENT == "production" and not force:
            raise CommandError("seed_demo refuses to run with production settings; pass --force if you mean it.")
        started = time.monotonic()
        with transaction.atomic():
            users = seed_accounts(password=password)
            # Both sizes: the contract's technician account lists nothing without a profile.
            technician = contract_technician_profile(users[Role.TECHNICIAN])
            if size == DEMO:
                created = seed_domain(manager=users[Role.MANAGER], technician=technician, password=password)
        for email, role, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"{role:<11} {email}")
        self.stdout.write(self.style.SUCCESS("demo accounts ready"))
        if size == LARGE:
            created = seed_large(created_by=users[Role.MANAGER], log=self.stdout.write)
        self._report(size, created, time.monotonic() - started)

    def _report(self, size: str, created: dict[str, int] | None, seconds: float) -> None:
        if created is None:
            self.stdout.write(f"{size} data already present: nothing added")
            return
        for label, count in created.items():
            self.stdout.write(f"{label:<24} {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"{size} data ready in {seconds:.1f} s"))
