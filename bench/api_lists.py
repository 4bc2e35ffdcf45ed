"""Time every list endpoint (and the dashboard, schedule, history and exports) on the large data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/erp_mif_bench .venv/bin/python bench/api_lists.py

Needs a database seeded with `seed_demo --size large` (bench/seed_large.py). For each request it
prints the SQL query count and the median wall time of 5 runs, as a viewer (sees everything) and
for the interventions list as the demo technician (his scope); the figures go to docs/benchmarks.md.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erp_mif.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def _measure(client, url: str) -> tuple[int, int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, status = [], 0, 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                for _chunk in response.streaming_content:
                    pass
            timings.append(time.perf_counter() - started)
        queries, status = len(captured.captured_queries), response.status_code
    return status, queries, statistics.median(timings) * 1000


def main() -> None:
    _setup()
    from rest_framework.test import APIClient

    from equipment.models import Equipment
    from erp_mif.accounts.models import User
    from technicians.models import Technician

    viewer = User.objects.get(email="user@mif.ma")
    technician_user = User.objects.get(email="technicien@mif.ma")
    busiest = Equipment.objects.order_by("-interventions__created_at").first()
    technician = Technician.objects.get(user=technician_user)
    requests = [
        (viewer, "/api/v1/clients/"),
        (viewer, "/api/v1/clients/?search=casa&ordering=name"),
        (viewer, "/api/v1/sites/"),
        (viewer, "/api/v1/equipment/"),
        (viewer, "/api/v1/equipment/?search=atlas&status=operational&status=out_of_order"),
        (viewer, "/api/v1/technicians/"),
        (viewer, "/api/v1/technicians/?available_from=2026-12-01T08:00&available_to=2026-12-01T18:00"),
        (viewer, "/api/v1/interventions/"),
        (viewer, "/api/v1/interventions/?ordering=-priority&page=200"),
        (viewer, "/api/v1/interventions/?search=INT-2026-001&status=scheduled&status=in_progress"),
        (viewer, "/api/v1/interventions/?overdue=true"),
        (viewer, "/api/v1/interventions/?status=completed"),
        (viewer, "/api/v1/interventions/?status=new&status=scheduled&priority=high"),
        (viewer, "/api/v1/interventions/?technician=1"),
        (technician_user, "/api/v1/interventions/"),
        (viewer, "/api/v1/maintenance-plans/"),
        (viewer, f"/api/v1/equipment/{busiest.pk}/interventions/"),
        (viewer, f"/api/v1/technicians/{technician.pk}/schedule/?from=2026-11-01T00:00&to=2026-12-31T00:00"),
        (viewer, "/api/v1/dashboard/"),
        (technician_user, "/api/v1/dashboard/"),
        (viewer, "/api/v1/clients/export/"),
        (viewer, "/api/v1/equipment/export/"),
        (viewer, "/api/v1/interventions/export/?status=on_hold"),
    ]
    print(f"| request | as | status | queries | median ms ({RUNS} runs) |")
    print("|---|---|---|---|---|")
    for user, url in requests:
        client = APIClient(HTTP_HOST="localhost")
        client.force_authenticate(user)
        status, queries, median = _measure(client, url)
        print(f"| `GET {url}` | {user.role} | {status} | {queries} | {median:.0f} |")


if __name__ == "__main__":
    main()
