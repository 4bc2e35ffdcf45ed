import itertools

import pytest

from clients.models import Client
from interventions.choices import InterventionStatus
from interventions.models import Intervention


@pytest.fixture
def make_intervention(db):
    """make_intervention(*technicians, status=..., start=..., end=...): an intervention naming them."""
    client = Client.objects.create(reference="CLI-T1", name="Client des tests techniciens")
    numbers = itertools.count(1)

    def _make(*technicians, status=InterventionStatus.SCHEDULED, start=None, end=None):
        intervention = Intervention.objects.create(
            reference=f"INT-T-{next(numbers):05d}",
            title="Intervention de test",
            client=client,
            status=status,
            scheduled_start=start,
            scheduled_end=end,
        )
        intervention.technicians.add(*technicians)
        return intervention

    return _make
