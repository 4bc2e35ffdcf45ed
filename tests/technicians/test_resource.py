"""/api/v1/technicians/: the generated resource tests (tests/resources.py)."""

from interventions.choices import InterventionStatus
from technicians.models import Technician
from tests.interventions.factories import InterventionFactory
from tests.resources import Resource, resource_tests
from tests.technicians.factories import TechnicianFactory


def technician_with_open_work(user=None) -> Technician:
    """A technician with skills and an open intervention to count (technicians have no scope)."""
    technician = TechnicianFactory(skills=["froid", "électricité"])
    InterventionFactory(status=InterventionStatus.NEW, technicians=[technician])
    return technician


TestTechnicianResource = resource_tests(
    Resource(
        "technician",
        "/api/v1/technicians/",
        technician_with_open_work,
        # count + page (user joined, open interventions counted in a subquery) + skills prefetched
        list_queries=3,
        # a field of the user: the ETag covers what the profile flattens from its user
        patch={"phone": "0611"},
    )
)
