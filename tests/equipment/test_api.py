from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from rest_framework.validators import UniqueValidator

from equipment.models import Equipment
from interventions.choices import InterventionStatus
from interventions.models import Intervention, MaintenancePlan
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory
from tests.helpers import assert_envelope, assert_status, contract_fields, csv_rows, result_ids, validation_errors
from tests.rbac import Endpoint, call, crud_endpoints, rbac_cases

pytestmark = pytest.mark.django_db

EQUIPMENT = "/api/v1/equipment/"
ONE = "/api/v1/equipment/{pk}/"
EXPORT = "/api/v1/equipment/export/"
MISSING = object()  # a field left out of the body

ENDPOINTS = {
    **crud_endpoints(EQUIPMENT),
    "export": Endpoint("get", EXPORT, 200),
    "interventions": Endpoint("get", ONE + "interventions/", 200),
}


@pytest.mark.parametrize(("role", "action", "expected"), list(rbac_cases("equipment", ENDPOINTS)))
def test_rbac(role, action, expected, make_client, api_client):
    caller = make_client(role) if role else api_client
    equipment = EquipmentFactory()
    body = {"serial_number": "SN-RBAC", "name": "Compresseur", "client": equipment.client_id}
    assert_status(call(caller, ENDPOINTS[action], pk=equipment.pk, body=body), expected)


def _completed_intervention(equipment, completed_at, **fields):
    return Intervention.objects.create(
        reference=f"INT-2026-{Intervention.objects.count() + 1:05d}",
        title="Maintenance",
        client=equipment.client,
        equipment=equipment,
        status=fields.pop("status", InterventionStatus.COMPLETED),
        completed_at=completed_at,
        **fields,
    )


def _plan(equipment, next_due_date, is_active=True):
    return MaintenancePlan.objects.create(
        equipment=equipment,
        title="Entretien",
        interval_value=1,
        interval_unit="month",
        next_due_date=next_due_date,
        is_active=is_active,
    )


# ------------------------------------------------------------------------------
# Create, read, update
# ------------------------------------------------------------------------------
def test_create_answers_with_names_defaults_and_empty_maintenance_dates(make_client):
    site = SiteFactory(name="Usine", client=ClientFactory(name="Atlas Froid"))
    body = {
        "serial_number": "CF-2026-001",
        "name": "Chambre froide",
        "client": site.client_id,
        "site": site.pk,
        "client_name": "ignored",
        "last_intervention_at": "2020-01-01T00:00:00Z",
        "id": 999,
        "unknown": True,
    }

    response = make_client("manager").post(EQUIPMENT, body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert list(data) == contract_fields("equipment")
    assert data["id"] != 999
    assert data["client_name"] == "Atlas Froid"
    assert data["site_name"] == "Usine"
    assert data["status"] == "operational"
    assert data["last_intervention_at"] is None
    assert data["next_maintenance_date"] is None


def test_equipment_without_site_has_a_null_site_name(make_client):
    equipment = EquipmentFactory()

    data = make_client("viewer").get(ONE.format(pk=equipment.pk)).json()

    assert data["site"] is None
    assert data["site_name"] is None


def test_maintenance_dates_come_from_completed_interventions_and_active_plans(make_client):
    equipment = EquipmentFactory()
    latest = timezone.now().replace(microsecond=0) - timedelta(days=2)
    _completed_intervention(equipment, latest - timedelta(days=30))
    _completed_intervention(equipment, latest)
    _completed_intervention(equipment, None, status=InterventionStatus.IN_PROGRESS)
    _completed_intervention(EquipmentFactory(), latest + timedelta(days=1))  # another equipment's
    _plan(equipment, date(2030, 5, 1))
    _plan(equipment, date(2030, 3, 1))
    _plan(equipment, date(2030, 1, 1), is_active=False)

    data = make_client("viewer").get(ONE.format(pk=equipment.pk)).json()

    assert datetime.fromisoformat(data["last_intervention_at"]) == latest
    assert data["next_maintenance_date"] == "2030-03-01"


def test_update_answers_with_the_maintenance_dates(make_client):
    equipment = EquipmentFactory()
    _plan(equipment, date(2030, 3, 1))

    response = make_client("manager").patch(ONE.format(pk=equipment.pk), {"status": "out_of_order"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "out_of_order"
    assert response.json()["next_maintenance_date"] == "2030-03-01"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"serial_number": MISSING}, "serial_number"),
        ({"serial_number": None}, "serial_number"),
        ({"serial_number": ["SN"]}, "serial_number"),
        ({"serial_number": "S" * 101}, "serial_number"),
        ({"name": MISSING}, "name"),
        ({"client": MISSING}, "client"),
        ({"client": "abc"}, "client"),
        ({"client": 10**30}, "client"),
        ({"site": "abc"}, "site"),
        ({"site": 999999}, "site"),
        ({"status": "broken"}, "status"),
        ({"status": ["retired"]}, "status"),
        ({"installation_date": "31/12/2025"}, "installation_date"),
        ({"warranty_end": "2025-02-30"}, "warranty_end"),
        ({"warranty_end": 20250101}, "warranty_end"),
    ],
)
def test_malformed_fields_are_refused_per_field(changes, field, make_client):
    valid = {"serial_number": "SN-1", "name": "Compresseur", "client": ClientFactory().pk}
    body = {key: value for key, value in {**valid, **changes}.items() if value is not MISSING}

    response = make_client("manager").post(EQUIPMENT, body, format="json")

    assert field in validation_errors(response)
    assert not Equipment.objects.exists()


def test_serial_number_is_unique(make_client):
    existing = EquipmentFactory(serial_number="SN-42")

    response = make_client("manager").post(
        EQUIPMENT, {"serial_number": "SN-42", "name": "Doublon", "client": existing.client_id}, format="json"
    )

    assert "serial_number" in validation_errors(response)


def test_serial_number_taken_by_a_concurrent_request_is_a_400_not_a_500(make_client):
    existing = EquipmentFactory(serial_number="SN-42")
    other = EquipmentFactory()
    api = make_client("manager")

    with mock.patch.object(UniqueValidator, "__call__", return_value=None):
        created = api.post(
            EQUIPMENT, {"serial_number": "SN-42", "name": "Doublon", "client": existing.client_id}, format="json"
        )
        updated = api.patch(ONE.format(pk=other.pk), {"serial_number": "SN-42"}, format="json")

    assert "serial_number" in validation_errors(created)
    assert "serial_number" in validation_errors(updated)
    assert Equipment.objects.filter(serial_number="SN-42").count() == 1


def test_the_site_must_belong_to_the_client(make_client):
    client = ClientFactory()
    foreign_site = SiteFactory()

    response = make_client("manager").post(
        EQUIPMENT,
        {"serial_number": "SN-1", "name": "Compresseur", "client": client.pk, "site": foreign_site.pk},
        format="json",
    )

    assert set(validation_errors(response)) == {"site"}
    assert not Equipment.objects.exists()


def test_changing_the_client_alone_keeps_the_site_consistent(make_client):
    equipment = EquipmentFactory(site=SiteFactory())
    api = make_client("manager")
    other = ClientFactory()
    other_site = SiteFactory(client=other)

    refused = api.patch(ONE.format(pk=equipment.pk), {"client": other.pk}, format="json")
    moved = api.patch(ONE.format(pk=equipment.pk), {"client": other.pk, "site": other_site.pk}, format="json")

    assert set(validation_errors(refused)) == {"site"}
    assert moved.status_code == 200, moved.content
    assert moved.json()["site_name"] == other_site.name


def test_a_new_maintenance_date_changes_the_etag(make_client):
    """The ETag covers the computed fields: a stale copy cannot overwrite after a plan changed."""
    equipment = EquipmentFactory()
    api = make_client("admin")
    before = api.get(ONE.format(pk=equipment.pk))["ETag"]

    _plan(equipment, date(2030, 1, 1))

    assert api.get(ONE.format(pk=equipment.pk))["ETag"] != before


# ------------------------------------------------------------------------------
# Delete
# ------------------------------------------------------------------------------
def test_destroy_deletes_equipment_nothing_points_at(make_client):
    equipment = EquipmentFactory()

    assert make_client("manager").delete(ONE.format(pk=equipment.pk)).status_code == 204
    assert not Equipment.objects.filter(pk=equipment.pk).exists()


@pytest.mark.parametrize(
    "make_dependent",
    [
        pytest.param(lambda equipment: _completed_intervention(equipment, timezone.now()), id="intervention"),
        pytest.param(lambda equipment: _plan(equipment, date(2030, 1, 1)), id="maintenance_plan"),
    ],
)
def test_destroy_of_referenced_equipment_is_protected(make_dependent, make_client):
    equipment = EquipmentFactory()
    make_dependent(equipment)

    response = make_client("admin").delete(ONE.format(pk=equipment.pk))

    assert_envelope(response, 409, "protected")
    assert Equipment.objects.filter(pk=equipment.pk).exists()


# ------------------------------------------------------------------------------
# List: filters, search, ordering (its queries: test_resource.py)
# ------------------------------------------------------------------------------
def test_filters_by_client_site_and_category(make_client):
    site = SiteFactory()
    at_site = EquipmentFactory(site=site, category="froid")
    same_client = EquipmentFactory(client=site.client, category="électricité")
    EquipmentFactory(category="froid")
    api = make_client("viewer")

    assert set(result_ids(api.get(EQUIPMENT, {"client": site.client_id}))) == {at_site.pk, same_client.pk}
    assert result_ids(api.get(EQUIPMENT, {"site": site.pk})) == [at_site.pk]
    assert result_ids(api.get(EQUIPMENT, {"client": site.client_id, "category": "froid"})) == [at_site.pk]


def test_status_filter_is_repeatable(make_client):
    operational = EquipmentFactory(status="operational")
    broken = EquipmentFactory(status="out_of_order")
    EquipmentFactory(status="retired")
    api = make_client("viewer")

    assert result_ids(api.get(EQUIPMENT, {"status": "out_of_order"})) == [broken.pk]
    both = api.get(EQUIPMENT, {"status": ["operational", "out_of_order"]})
    assert set(result_ids(both)) == {operational.pk, broken.pk}


def test_warranty_expires_before_is_strictly_before(make_client):
    expired = EquipmentFactory(warranty_end=date(2026, 1, 9))
    EquipmentFactory(warranty_end=date(2026, 1, 10))
    EquipmentFactory(warranty_end=None)

    assert result_ids(make_client("viewer").get(EQUIPMENT, {"warranty_expires_before": "2026-01-10"})) == [expired.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"client": "abc"},
        {"site": "1.5"},
        {"status": "broken"},
        {"status": ["operational", "broken"]},
        {"warranty_expires_before": "demain"},
        {"warranty_expires_before": "2026-02-30"},
    ],
)
def test_malformed_filters_are_a_400_not_a_500(query, make_client):
    EquipmentFactory()

    errors = validation_errors(make_client("viewer").get(EQUIPMENT, query))

    assert set(errors) == set(query)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("cf-2026", {"Chambre froide"}),
        ("chambre", {"Chambre froide"}),
        ("carrier", {"Chambre froide"}),
        ("x-200", {"Chambre froide"}),
        ("sahara", {"Groupe électrogène"}),
    ],
)
def test_search_over_name_serial_brand_model_and_client_name(term, expected, make_client):
    EquipmentFactory(serial_number="CF-2026-001", name="Chambre froide", brand="Carrier", model="X-200")
    EquipmentFactory(name="Groupe électrogène", client=ClientFactory(name="Sahara Énergie"))

    response = make_client("viewer").get(EQUIPMENT, {"search": term})

    assert {row["name"] for row in response.json()["results"]} == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["A", "B", "C"]),
        ("-serial_number", ["C", "B", "A"]),
        ("installation_date", ["B", "A", "C"]),
        ("warranty_end", ["C", "A", "B"]),
        ("created_at", ["B", "C", "A"]),
        (None, ["A", "C", "B"]),
        ("next_maintenance_date", ["A", "C", "B"]),  # not an ordering field: ignored
    ],
)
def test_ordering(ordering, expected, make_client):
    EquipmentFactory(name="B", serial_number="SN-2", installation_date=date(2020, 1, 1), warranty_end=date(2030, 1, 1))
    EquipmentFactory(name="C", serial_number="SN-3", installation_date=date(2022, 1, 1), warranty_end=date(2026, 1, 1))
    EquipmentFactory(name="A", serial_number="SN-1", installation_date=date(2021, 1, 1), warranty_end=date(2028, 1, 1))

    response = make_client("viewer").get(EQUIPMENT, {"ordering": ordering} if ordering else {})

    assert [row["name"] for row in response.json()["results"]] == expected


def test_the_list_shows_each_rows_site_and_maintenance_dates(make_client):
    for equipment in EquipmentFactory.create_batch(2, site=SiteFactory()):
        _completed_intervention(equipment, timezone.now())
        _plan(equipment, date(2030, 1, 1))

    results = make_client("viewer").get(EQUIPMENT).json()["results"]

    assert len(results) == 2
    assert all(row["last_intervention_at"] and row["next_maintenance_date"] and row["site_name"] for row in results)


# ------------------------------------------------------------------------------
# CSV export
# ------------------------------------------------------------------------------
def test_export_follows_the_csv_convention(make_client):
    equipment = EquipmentFactory(
        name="+33 compresseur",
        brand="@Carrier",
        model="-X",
        site=SiteFactory(name="Usine"),
        warranty_end=date(2027, 6, 30),
    )
    _plan(equipment, date(2030, 3, 1))

    header, *rows = csv_rows(make_client("manager").get(EXPORT))

    row = dict(zip(header, rows[0], strict=True))
    assert (row["name"], row["brand"], row["model"]) == ("'+33 compresseur", "'@Carrier", "'-X")
    assert row["client_name"] == equipment.client.name
    assert row["site_name"] == "Usine"
    assert row["warranty_end"] == "2027-06-30"
    assert row["next_maintenance_date"] == "2030-03-01"
    assert row["last_intervention_at"] == ""


def test_export_applies_the_list_filters(make_client):
    EquipmentFactory(status="retired", name="Ancien")
    EquipmentFactory(status="operational", name="Neuf")
    EquipmentFactory(status="out_of_order", name="En panne")

    header, *rows = csv_rows(
        make_client("viewer").get(EXPORT, {"status": ["retired", "out_of_order"], "ordering": "name"})
    )

    assert [dict(zip(header, row, strict=True))["name"] for row in rows] == ["Ancien", "En panne"]


def test_export_refuses_malformed_filters(make_client):
    assert "status" in validation_errors(make_client("viewer").get(EXPORT, {"status": "broken"}))
