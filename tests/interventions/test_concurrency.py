"""Races that only a real database shows: run on PostgreSQL (skipped on SQLite, which serialises writers)."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from erp_mif.accounts.choices import Role
from erp_mif.core.errors import ApplicationError
from interventions import services
from interventions.models import Intervention
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.technicians.factories import TechnicianFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _run_concurrently(*jobs):
    """Start the jobs together (a barrier) in threads with their own connections; return their outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_managers_booking_one_technician_at_once_cannot_both_win():
    manager = UserFactory(role=Role.MANAGER)
    client = ClientFactory()
    technician = TechnicianFactory()
    first, second = (services.intervention_create(by=manager, client=client, title=t) for t in ("A", "B"))
    start = timezone.now() + timedelta(days=1)

    def assign(intervention):
        return lambda: services.intervention_assign(
            intervention=intervention,
            by=manager,
            technicians=[technician],
            scheduled_start=start,
            scheduled_end=start + timedelta(hours=2),
        )

    outcomes = _run_concurrently(assign(first), assign(second))

    refused = [outcome for outcome in outcomes if isinstance(outcome, ApplicationError)]
    assert len(refused) == 1, outcomes
    assert refused[0].code == "schedule_conflict"
    assert Intervention.objects.filter(technicians=technician, status="scheduled").count() == 1


def test_concurrent_creates_get_distinct_references():
    manager = UserFactory(role=Role.MANAGER)
    client = ClientFactory()

    outcomes = _run_concurrently(
        *(lambda n=n: services.intervention_create(by=manager, client=client, title=f"T{n}") for n in range(6))
    )

    assert all(isinstance(outcome, Intervention) for outcome in outcomes), outcomes
    assert len({outcome.reference for outcome in outcomes}) == 6
