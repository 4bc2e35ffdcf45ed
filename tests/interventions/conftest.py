from datetime import timedelta

import pytest
from django.utils import timezone

from erp_mif.accounts.choices import Role
from interventions import services
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.technicians.factories import TechnicianFactory


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.MANAGER)


@pytest.fixture
def client_record(db):
    return ClientFactory()


@pytest.fixture
def technician(db):
    return TechnicianFactory()


@pytest.fixture
def window():
    """A two-hour window tomorrow at 09:00."""
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    return start, start + timedelta(hours=2)


@pytest.fixture
def make_intervention(manager, client_record):
    """Create a work order through the service, then walk it to `status` through the workflow."""

    def _make(status="new", technicians=None, window=None, by=None, client=None, **fields):
        by = by or manager
        intervention = services.intervention_create(by=by, client=client or client_record, **fields)
        if status == "new":
            return intervention
        start = timezone.now().replace(microsecond=0) + timedelta(days=30 + intervention.pk)
        start, end = window or (start, start + timedelta(hours=1))
        intervention = services.intervention_assign(
            intervention=intervention,
            by=by,
            technicians=technicians or [TechnicianFactory()],
            scheduled_start=start,
            scheduled_end=end,
        )
        path = {
            "scheduled": [],
            "in_progress": ["start"],
            "on_hold": ["start", "hold"],
            "completed": ["start", "complete"],
            "cancelled": ["cancel"],
        }[status]
        for step in path:
            intervention = _STEPS[step](intervention, by)
        return intervention

    return _make


_STEPS = {
    "start": lambda i, by: services.intervention_start(intervention=i, by=by),
    "hold": lambda i, by: services.intervention_hold(intervention=i, by=by, reason="Pièce manquante"),
    "complete": lambda i, by: services.intervention_complete(intervention=i, by=by, report="OK", labor_minutes=30),
    "cancel": lambda i, by: services.intervention_cancel(intervention=i, by=by, reason="Client absent"),
}
