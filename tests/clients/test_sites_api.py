from decimal import Decimal

import pytest

from clients.models import Site
from interventions.models import Intervention
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory
from tests.helpers import assert_envelope, assert_status, contract_fields, result_ids, validation_errors
from tests.rbac import call, crud_endpoints, rbac_cases

pytestmark = pytest.mark.django_db

SITES = "/api/v1/sites/"
SITE = "/api/v1/sites/{pk}/"
MISSING = object()  # a field left out of the body

ENDPOINTS = {
    **crud_endpoints(SITES),
}


@pytest.mark.parametrize(("role", "action", "expected"), list(rbac_cases("site", ENDPOINTS)))
def test_rbac(role, action, expected, make_client, api_client):
    caller = make_client(role) if role else api_client
    site = SiteFactory()
    response = call(caller, ENDPOINTS[action], pk=site.pk, body={"client": site.client_id, "name": "Dépôt"})
    assert_status(response, expected)


def test_sites_have_no_export(make_client):
    assert_envelope(make_client("admin").get(SITES + "export/"), 404, "not_found")


# ------------------------------------------------------------------------------
# Create, read, update
# ------------------------------------------------------------------------------
def test_create_answers_with_the_client_name_and_numeric_coordinates(make_client):
    client = ClientFactory(name="Atlas Froid")
    body = {
        "client": client.pk,
        "name": "Usine Ain Sebaâ",
        "latitude": 33.589886,
        "longitude": -7.603869,
        "client_name": "ignored",
        "id": 999,
        "unknown": 1,
    }

    response = make_client("manager").post(SITES, body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert list(data) == contract_fields("site")
    assert data["client"] == client.pk
    assert data["client_name"] == "Atlas Froid"
    assert data["id"] != 999
    assert data["latitude"] == 33.589886
    assert data["longitude"] == -7.603869
    site = Site.objects.get(pk=data["id"])
    assert site.latitude == Decimal("33.589886")


def test_coordinates_may_be_null(make_client):
    client = ClientFactory()

    response = make_client("manager").post(
        SITES, {"client": client.pk, "name": "Dépôt", "latitude": None, "longitude": None}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["latitude"] is None
    assert response.json()["longitude"] is None


def test_an_inactive_client_may_get_sites(make_client):
    client = ClientFactory(is_active=False)

    response = make_client("manager").post(SITES, {"client": client.pk, "name": "Dépôt"}, format="json")

    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"client": MISSING}, {"client"}),
        ({"client": None}, {"client"}),
        ({"client": "abc"}, {"client"}),
        ({"client": 999999}, {"client"}),
        ({"client": 10**30}, {"client"}),
        ({"client": True}, {"client"}),
        ({"client": [1]}, {"client"}),
        ({"name": MISSING}, {"name"}),
        ({"name": None}, {"name"}),
        ({"latitude": 90.000001}, {"latitude"}),
        ({"latitude": -91}, {"latitude"}),
        ({"longitude": 180.5}, {"longitude"}),
        ({"longitude": -181}, {"longitude"}),
        ({"latitude": 91, "longitude": 181}, {"latitude", "longitude"}),
        ({"latitude": "nord"}, {"latitude"}),
        ({"latitude": 10**30}, {"latitude"}),
        ({"latitude": [33.5]}, {"latitude"}),
        ({"latitude": 33.1234567}, {"latitude"}),  # more decimals than stored: refused, not silently rounded
    ],
)
def test_malformed_fields_are_refused_per_field(changes, fields, make_client):
    valid = {"client": ClientFactory().pk, "name": "Dépôt"}
    body = {key: value for key, value in {**valid, **changes}.items() if value is not MISSING}

    response = make_client("manager").post(SITES, body, format="json")

    assert set(validation_errors(response)) == fields
    assert not Site.objects.exists()


def test_a_fractional_id_is_refused_not_truncated(make_client):
    client = ClientFactory()

    response = make_client("manager").post(SITES, {"client": client.pk + 0.5, "name": "Dépôt"}, format="json")

    assert set(validation_errors(response)) == {"client"}


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_overflowing_or_special_numbers_are_refused(number, make_client):
    client = ClientFactory()
    body = f'{{"client": {client.pk}, "name": "Dépôt", "latitude": {number}}}'

    response = make_client("manager").post(SITES, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert not Site.objects.exists()


def test_update_moves_a_site_without_equipment_to_another_client(make_client):
    site = SiteFactory()
    other = ClientFactory(name="Nouveau client")

    response = make_client("manager").patch(SITE.format(pk=site.pk), {"client": other.pk}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["client_name"] == "Nouveau client"


@pytest.mark.parametrize(
    "make_dependent",
    [
        pytest.param(lambda site: EquipmentFactory(site=site), id="equipment"),
        pytest.param(
            lambda site: Intervention.objects.create(
                reference="INT-2026-00001", title="Panne", client=site.client, site=site
            ),
            id="intervention",
        ),
    ],
)
def test_a_site_with_equipment_or_interventions_stays_with_its_client(make_dependent, make_client):
    site = SiteFactory()
    make_dependent(site)
    other = ClientFactory()

    response = make_client("manager").patch(SITE.format(pk=site.pk), {"client": other.pk}, format="json")

    assert "client" in validation_errors(response)
    site.refresh_from_db()
    assert site.client_id != other.pk


# ------------------------------------------------------------------------------
# Delete
# ------------------------------------------------------------------------------
def test_destroy_deletes_a_site_nothing_points_at(make_client):
    site = SiteFactory()

    assert make_client("manager").delete(SITE.format(pk=site.pk)).status_code == 204
    assert not Site.objects.filter(pk=site.pk).exists()


def test_destroy_of_a_site_with_equipment_is_protected(make_client):
    equipment = EquipmentFactory(site=SiteFactory())

    response = make_client("manager").delete(SITE.format(pk=equipment.site_id))

    assert_envelope(response, 409, "protected")
    assert Site.objects.filter(pk=equipment.site_id).exists()


# ------------------------------------------------------------------------------
# List: filters, search, ordering (its queries: test_resource.py)
# ------------------------------------------------------------------------------
def test_filters_by_client_city_and_is_active(make_client):
    atlas = ClientFactory()
    depot = SiteFactory(client=atlas, city="Rabat")
    closed = SiteFactory(client=atlas, city="Fès", is_active=False)
    SiteFactory(city="Rabat")
    api = make_client("viewer")

    assert set(result_ids(api.get(SITES, {"client": atlas.pk}))) == {depot.pk, closed.pk}
    assert result_ids(api.get(SITES, {"client": atlas.pk, "city": "Rabat"})) == [depot.pk]
    assert result_ids(api.get(SITES, {"is_active": "false"})) == [closed.pk]


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999999", "-1"])
def test_a_malformed_or_unknown_client_filter_is_a_400(value, make_client):
    SiteFactory()

    assert "client" in validation_errors(make_client("viewer").get(SITES, {"client": value}))


@pytest.mark.parametrize(
    ("term", "expected"),
    [("entrepôt", {"Entrepôt nord"}), ("meknès", {"Atelier"}), ("zone industrielle", {"Atelier"})],
)
def test_search_over_name_city_and_address(term, expected, make_client):
    SiteFactory(name="Entrepôt nord", city="Kénitra", address="Route de Rabat")
    SiteFactory(name="Atelier", city="Meknès", address="Zone industrielle")

    response = make_client("viewer").get(SITES, {"search": term})

    assert {row["name"] for row in response.json()["results"]} == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("-name", ["Charlie", "Bravo", "Alpha"]),
        ("created_at", ["Bravo", "Charlie", "Alpha"]),
        (None, ["Alpha", "Charlie", "Bravo"]),
        ("city", ["Alpha", "Charlie", "Bravo"]),  # not an ordering field: ignored
    ],
)
def test_ordering(ordering, expected, make_client):
    for name in ["Bravo", "Charlie", "Alpha"]:
        SiteFactory(name=name)

    response = make_client("viewer").get(SITES, {"ordering": ordering} if ordering else {})

    assert [row["name"] for row in response.json()["results"]] == expected


def test_the_list_names_each_sites_client(make_client):
    for name in ("Atlas Froid", "Sahara Clim"):
        SiteFactory(client=ClientFactory(name=name))

    response = make_client("technician").get(SITES)

    assert [row["client_name"] for row in response.json()["results"]] == ["Sahara Clim", "Atlas Froid"]
