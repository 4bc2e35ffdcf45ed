"""Seed the large benchmark data set into a database; print the time, the peak memory and the row counts.

    createdb -h 127.0.0.1 -U postgres erp_mif_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/erp_mif_bench .venv/bin/python bench/seed_large.py

    .venv/bin/python bench/seed_large.py --database-url sqlite:////tmp/erp_mif_bench.sqlite3

It migrates the database, then runs `manage.py seed_demo --size large` (the demo accounts, then
2,000 clients, 50,000 equipment, 500,000 interventions...). A database that already holds the
data set is left as it is: use a fresh one to time the seed again. Figures: docs/benchmarks.md.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--skip-migrate", action="store_true", help="the database is migrated already")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp_mif.settings.local")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    if not args.skip_migrate:
        call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("seed_demo", "--size", "large")
    seconds = time.monotonic() - started
    print_row_counts()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(f"seed time {seconds:.1f} s, peak RSS {peak_mib:.0f} MiB")


def print_row_counts() -> None:
    from clients.models import Client, Site
    from equipment.models import Equipment
    from erp_mif.accounts.models import User
    from interventions.models import Intervention, InterventionEvent, MaintenancePlan
    from technicians.models import Technician

    tables = {
        "users": User,
        "clients": Client,
        "sites": Site,
        "equipment": Equipment,
        "technicians": Technician,
        "interventions": Intervention,
        "intervention technicians": Intervention.technicians.through,
        "intervention events": InterventionEvent,
        "maintenance plans": MaintenancePlan,
    }
    print("rows in the database:")
    for label, model in tables.items():
        print(f"  {label:<26} {model.objects.count():>10,}")


if __name__ == "__main__":
    main()
