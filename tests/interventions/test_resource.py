"""/api/v1/interventions/ and /api/v1/maintenance-plans/: the generated resource tests (tests/resources.py)."""

from interventions.models import MaintenancePlan
from tests.interventions.factories import MaintenancePlanFactory, intervention_visible_to
from tests.resources import Resource, resource_tests
from tests.technicians.factories import TechnicianFactory


def plan_with_a_default_technician(user=None) -> MaintenancePlan:
    """A maintenance plan naming its technician (plans have no scope)."""
    return MaintenancePlanFactory(default_technician=TechnicianFactory())


TestInterventionResource = resource_tests(
    # count + page (client, site and equipment joined) + technicians prefetched with their users
    Resource(
        "intervention", "/api/v1/interventions/", intervention_visible_to, list_queries=3, patch={"title": "Fuite"}
    )
)
TestMaintenancePlanResource = resource_tests(
    # count + page, equipment and default technician joined
    Resource(
        "maintenance_plan",
        "/api/v1/maintenance-plans/",
        plan_with_a_default_technician,
        list_queries=2,
        patch={"title": "Vidange semestrielle"},
    )
)
