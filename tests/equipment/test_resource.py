"""/api/v1/equipment/: the generated resource tests (tests/resources.py)."""

from django.utils import timezone

from equipment.models import Equipment
from interventions.choices import InterventionStatus
from tests.clients.factories import SiteFactory
from tests.equipment.factories import EquipmentFactory
from tests.interventions.factories import InterventionFactory, MaintenancePlanFactory
from tests.resources import Resource, resource_tests


def equipment_with_maintenance_dates(user=None) -> Equipment:
    """Equipment at a site, with a completed intervention and a maintenance plan (equipment has no scope)."""
    equipment = EquipmentFactory(site=SiteFactory())
    InterventionFactory(
        client=equipment.client,
        equipment=equipment,
        status=InterventionStatus.COMPLETED,
        completed_at=timezone.now(),
    )
    MaintenancePlanFactory(equipment=equipment)
    return equipment


TestEquipmentResource = resource_tests(
    # count + page, client and site joined, the maintenance dates as subqueries of the page's query
    Resource(
        "equipment",
        "/api/v1/equipment/",
        equipment_with_maintenance_dates,
        list_queries=2,
        patch={"location": "Local technique"},
    )
)
