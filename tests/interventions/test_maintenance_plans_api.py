from datetime import timedelta

import pytest
from django.utils import timezone

from equipment.choices import EquipmentStatus
from erp_mif.accounts.choices import Role
from interventions.models import MaintenancePlan
from tests.equipment.factories import EquipmentFactory
from tests.interventions.factories import MaintenancePlanFactory
from tests.rbac import call, crud_endpoints, rbac_cases
from tests.technicians.factories import TechnicianFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/maintenance-plans/"
DETAIL = URL + "{pk}/"
ENDPOINTS = {
    **crud_endpoints(URL),
}


def _payload(**overrides):
    return {
        "equipment": EquipmentFactory().pk,
        "title": "Vidange trimestrielle",
        "interval_value": 3,
        "interval_unit": "month",
        "next_due_date": str(timezone.localdate() + timedelta(days=20)),
        **overrides,
    }


@pytest.mark.parametrize(("role", "action", "expected"), rbac_cases("maintenance_plan", ENDPOINTS))
def test_maintenance_plan_rbac(role, action, expected, make_client, api_client):
    client = make_client(role) if role else api_client
    plan = MaintenancePlanFactory()

    response = call(client, ENDPOINTS[action], pk=plan.pk, body=_payload)

    assert response.status_code == expected, response.content


def test_create_applies_the_contract_defaults(make_client):
    response = make_client(Role.MANAGER).post(URL, _payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["lead_days"], body["priority"], body["is_active"]) == (7, "normal", True)
    assert body["last_generated_at"] is None
    assert body["equipment_name"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"interval_value": 0}, "interval_value"),
        ({"interval_unit": "fortnight"}, "interval_unit"),
        ({"lead_days": -1}, "lead_days"),
        ({"next_due_date": "soon"}, "next_due_date"),
        ({"equipment": None}, "equipment"),
        ({"title": ""}, "title"),
    ],
)
def test_create_reports_bad_input_per_field(make_client, overrides, field):
    response = make_client(Role.MANAGER).post(URL, _payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not MaintenancePlan.objects.exists()


def test_create_refuses_retired_equipment_and_an_inactive_technician(make_client):
    retired = EquipmentFactory(status=EquipmentStatus.RETIRED)
    inactive = TechnicianFactory(user__is_active=False)

    response = make_client(Role.MANAGER).post(
        URL, _payload(equipment=retired.pk, default_technician=inactive.pk), format="json"
    )

    assert response.status_code == 400
    assert {"equipment", "default_technician"} <= set(response.json()["errors"])


def test_filters_and_ordering(make_client):
    today = timezone.localdate()
    soon = MaintenancePlanFactory(next_due_date=today + timedelta(days=3))
    later = MaintenancePlanFactory(next_due_date=today + timedelta(days=60))
    MaintenancePlanFactory(next_due_date=today, is_active=False)
    client = make_client(Role.VIEWER)

    due = client.get(URL, {"due_before": str(today + timedelta(days=10)), "is_active": "true"}).json()
    ordered = client.get(URL, {"ordering": "-next_due_date", "is_active": "true"}).json()

    assert [row["id"] for row in due["results"]] == [soon.pk]
    assert [row["id"] for row in ordered["results"]] == [later.pk, soon.pk]


def test_search_by_equipment_serial(make_client):
    plan = MaintenancePlanFactory(equipment=EquipmentFactory(serial_number="ATL-777"))
    MaintenancePlanFactory()

    response = make_client(Role.VIEWER).get(URL, {"search": "atl-777"})

    assert [row["id"] for row in response.json()["results"]] == [plan.pk]
