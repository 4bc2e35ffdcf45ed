import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from erp_mif.demo.accounts import DEMO_ACCOUNTS, seed_accounts

# Demo only (documented in the README); the command refuses production settings.
DEFAULT_DEMO_PASSWORD = "MifMaroc-2026!"  # noqa: S105


class Command(BaseCommand):
    help = "Create the demo accounts (and demo data). Refuses production settings unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD,
            help="password of every demo account (default: $DEMO_PASSWORD, else the README's)",
        )
        parser.add_argument("--force", action="store_true", help="run even with production settings")

    def handle(self, *args, password, force, **options):
        if settings.ENVIRONMENT == "production" and not force:
            raise CommandError("seed_demo refuses to run with production settings; pass --force if you mean it.")
        with transaction.atomic():
            seed_accounts(password=password)
        for email, role, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"{role:<11} {email}")
        self.stdout.write(self.style.SUCCESS("demo accounts ready"))
