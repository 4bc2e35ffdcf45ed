import re
from unittest import mock

import pytest
from rest_framework.validators import UniqueValidator

from clients.models import Client
from interventions.models import Intervention
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory
from tests.helpers import assert_envelope, assert_status, contract_fields, csv_rows, result_ids, validation_errors
from tests.rbac import Endpoint, call, crud_endpoints, rbac_cases

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"
CLIENT = "/api/v1/clients/{pk}/"
EXPORT = "/api/v1/clients/export/"
ICE = "001234567000089"

ENDPOINTS = {
    **crud_endpoints(CLIENTS),
    "export": Endpoint("get", EXPORT, 200),
}


@pytest.mark.parametrize(("role", "action", "expected"), list(rbac_cases("client", ENDPOINTS)))
def test_rbac(role, action, expected, make_client, api_client):
    caller = make_client(role) if role else api_client
    response = call(caller, ENDPOINTS[action], pk=ClientFactory().pk, body={"name": "Atlas Froid"})
    assert_status(response, expected)


# ------------------------------------------------------------------------------
# Create, read, update
# ------------------------------------------------------------------------------
def test_create_generates_the_reference_and_ignores_read_only_and_unknown_fields(make_client):
    body = {
        "name": "Atlas Froid",
        "ice": ICE,
        "city": "Casablanca",
        "id": 999,
        "reference": "CLI-99999",
        "equipment_count": 42,
        "created_at": "2000-01-01T00:00:00Z",
        "unknown": "ignored",
    }
    response = make_client("manager").post(CLIENTS, body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert re.fullmatch(r"CLI-\d{5,}", data["reference"])
    assert data["reference"] != "CLI-99999"
    assert data["id"] != 999
    assert data["equipment_count"] == 0
    assert not data["created_at"].startswith("2000")
    assert data["country"] == "MA"
    assert data["is_active"] is True
    assert "unknown" not in data
    assert list(data) == contract_fields("client")
    assert response["ETag"]


def test_references_follow_each_other(make_client):
    api = make_client("admin")
    first = api.post(CLIENTS, {"name": "A"}, format="json").json()["reference"]
    second = api.post(CLIENTS, {"name": "B"}, format="json").json()["reference"]

    assert int(second.removeprefix("CLI-")) == int(first.removeprefix("CLI-")) + 1


def test_retrieve_counts_equipment(make_client):
    client = ClientFactory()
    EquipmentFactory.create_batch(3, client=client)
    EquipmentFactory()  # another client's

    data = make_client("viewer").get(CLIENT.format(pk=client.pk)).json()

    assert data["equipment_count"] == 3


def test_update_answers_with_the_equipment_count_and_keeps_the_reference(make_client):
    client = ClientFactory()
    EquipmentFactory.create_batch(2, client=client)

    response = make_client("manager").patch(
        CLIENT.format(pk=client.pk), {"city": "Rabat", "reference": "CLI-00000", "equipment_count": 0}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["city"] == "Rabat"
    assert response.json()["equipment_count"] == 2
    assert response.json()["reference"] == client.reference


def test_put_replaces_the_writable_fields(make_client):
    client = ClientFactory(city="Rabat", ice=ICE)

    response = make_client("admin").put(CLIENT.format(pk=client.pk), {"name": "Nouveau nom"}, format="json")

    assert response.status_code == 200, response.content
    client.refresh_from_db()
    assert client.name == "Nouveau nom"
    assert client.ice == ICE  # omitted optional fields keep their value


@pytest.mark.parametrize(
    "path", ["/api/v1/clients/abc/", "/api/v1/clients/0/", "/api/v1/clients/99999999999999999999999/"]
)
def test_unknown_client_is_not_found(path, make_client):
    assert_envelope(make_client("viewer").get(path), 404, "not_found")


# ------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": ["Atlas"]}, "name"),
        ({"name": {"fr": "Atlas"}}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Atlas\x00"}, "name"),
        ({"name": "Atlas", "ice": "12345"}, "ice"),
        ({"name": "Atlas", "ice": "00123456700008A"}, "ice"),
        ({"name": "Atlas", "ice": "0012345670000899"}, "ice"),
        ({"name": "Atlas", "ice": 1234567890123456789}, "ice"),
        ({"name": "Atlas", "country": "ma"}, "country"),
        ({"name": "Atlas", "country": "MAR"}, "country"),
        ({"name": "Atlas", "country": ""}, "country"),
        ({"name": "Atlas", "email": "not-an-email"}, "email"),
        ({"name": "Atlas", "is_active": "peut-être"}, "is_active"),
        ({"name": "Atlas", "phone": "0" * 33}, "phone"),
    ],
)
def test_malformed_fields_are_refused_per_field(body, field, make_client):
    response = make_client("manager").post(CLIENTS, body, format="json")

    assert field in validation_errors(response)
    assert not Client.objects.exists()


def test_a_body_that_is_not_an_object_is_refused(make_client):
    response = make_client("manager").post(CLIENTS, [{"name": "Atlas"}], format="json")

    assert "non_field_errors" in validation_errors(response)


def test_malformed_json_is_a_parse_error(make_client):
    response = make_client("manager").post(CLIENTS, "{name:", content_type="application/json")

    assert_envelope(response, 400, "parse_error")


def test_ice_is_unique_when_set(make_client):
    ClientFactory(ice=ICE)
    api = make_client("manager")

    assert "ice" in validation_errors(api.post(CLIENTS, {"name": "Doublon", "ice": ICE}, format="json"))
    assert api.post(CLIENTS, {"name": "Sans ICE 1"}, format="json").status_code == 201
    assert api.post(CLIENTS, {"name": "Sans ICE 2", "ice": ""}, format="json").status_code == 201


def test_a_client_keeps_its_own_ice_on_update(make_client):
    client = ClientFactory(ice=ICE)

    response = make_client("manager").put(CLIENT.format(pk=client.pk), {"name": "Renommé", "ice": ICE}, format="json")

    assert response.status_code == 200, response.content


def test_ice_taken_by_a_concurrent_request_is_a_400_not_a_500(make_client):
    """Both requests pass the serializer's check; the database constraint refuses the second."""
    ClientFactory(ice=ICE)
    other = ClientFactory()
    api = make_client("manager")

    with mock.patch.object(UniqueValidator, "__call__", return_value=None):
        created = api.post(CLIENTS, {"name": "Doublon", "ice": ICE}, format="json")
        updated = api.patch(CLIENT.format(pk=other.pk), {"ice": ICE}, format="json")

    assert "ice" in validation_errors(created)
    assert "ice" in validation_errors(updated)
    assert Client.objects.filter(ice=ICE).count() == 1


# ------------------------------------------------------------------------------
# Delete
# ------------------------------------------------------------------------------
def test_destroy_deletes_a_client_nothing_points_at(make_client):
    client = ClientFactory()

    response = make_client("manager").delete(CLIENT.format(pk=client.pk))

    assert response.status_code == 204
    assert not Client.objects.filter(pk=client.pk).exists()


@pytest.mark.parametrize(
    "make_dependent",
    [
        pytest.param(lambda client: SiteFactory(client=client), id="site"),
        pytest.param(lambda client: EquipmentFactory(client=client), id="equipment"),
        pytest.param(
            lambda client: Intervention.objects.create(reference="INT-2026-00001", title="Panne", client=client),
            id="intervention",
        ),
    ],
)
def test_destroy_of_a_referenced_client_is_protected(make_dependent, make_client):
    client = ClientFactory()
    dependent = make_dependent(client)

    response = make_client("admin").delete(CLIENT.format(pk=client.pk))

    assert_envelope(response, 409, "protected")
    assert Client.objects.filter(pk=client.pk).exists()
    assert type(dependent).objects.filter(pk=dependent.pk).exists()


# ------------------------------------------------------------------------------
# List: filters, search, ordering, pagination (its queries: test_resource.py)
# ------------------------------------------------------------------------------
def test_list_is_newest_first_by_default(make_client):
    clients = ClientFactory.create_batch(3)

    assert result_ids(make_client("viewer").get(CLIENTS)) == [c.pk for c in reversed(clients)]


def test_filters_by_exact_city_and_by_is_active(make_client):
    rabat = ClientFactory(city="Rabat")
    ClientFactory(city="Rabat-Salé")
    inactive = ClientFactory(city="Fès", is_active=False)
    api = make_client("viewer")

    assert result_ids(api.get(CLIENTS, {"city": "Rabat"})) == [rabat.pk]
    assert result_ids(api.get(CLIENTS, {"is_active": "false"})) == [inactive.pk]
    assert inactive.pk not in result_ids(api.get(CLIENTS, {"is_active": "true"}))


@pytest.mark.parametrize(
    ("term", "match"),
    [
        ("atlas", {"name": "Atlas Froid"}),
        ("cli-0", None),  # every reference
        ("4567000", {"ice": ICE}),
        ("tanger", {"city": "Tanger"}),
    ],
)
def test_search_over_name_reference_ice_and_city(term, match, make_client):
    target = ClientFactory(name="Atlas Froid", ice=ICE, city="Tanger")
    other = ClientFactory(name="Sahara Clim", city="Agadir")

    found = set(result_ids(make_client("viewer").get(CLIENTS, {"search": term})))

    assert found == ({target.pk} if match else {target.pk, other.pk})


def test_search_finds_a_reference(make_client):
    target, other = ClientFactory.create_batch(2)

    assert result_ids(make_client("viewer").get(CLIENTS, {"search": target.reference})) == [target.pk]
    assert other.reference != target.reference


@pytest.mark.parametrize(
    ("ordering", "expected_names"),
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("-name", ["Charlie", "Bravo", "Alpha"]),
        ("reference", ["Bravo", "Charlie", "Alpha"]),
        ("created_at", ["Bravo", "Charlie", "Alpha"]),
        ("-created_at", ["Alpha", "Charlie", "Bravo"]),
        ("equipment_count", ["Alpha", "Charlie", "Bravo"]),  # not an ordering field: ignored
        ("unknown", ["Alpha", "Charlie", "Bravo"]),
    ],
)
def test_ordering(ordering, expected_names, make_client):
    for name in ["Bravo", "Charlie", "Alpha"]:
        ClientFactory(name=name)

    response = make_client("viewer").get(CLIENTS, {"ordering": ordering})

    assert [row["name"] for row in response.json()["results"]] == expected_names


@pytest.mark.parametrize(
    "query",
    [
        {"search": "x\x00y"},
        {"city": "Rabat\x00"},
    ],
)
def test_nasty_query_parameters_are_a_400_not_a_500(query, make_client):
    assert_envelope(make_client("viewer").get(CLIENTS, query), 400, "validation_error")


@pytest.mark.parametrize(
    "query",
    # A bad filter value is a 400 (tests/api/test_conventions.py); pagination and ordering forgive.
    [{"page_size": "abc"}, {"page_size": "100000"}, {"ordering": "-"}],
)
def test_odd_query_parameters_are_ignored(query, make_client):
    ClientFactory()

    assert len(result_ids(make_client("viewer").get(CLIENTS, query))) == 1


def test_a_page_past_the_end_is_not_found(make_client):
    ClientFactory()

    assert_envelope(make_client("viewer").get(CLIENTS, {"page": 99}), 404, "not_found")


def test_the_list_counts_each_clients_equipment(make_client):
    for equipment_count in (2, 0, 1):
        EquipmentFactory.create_batch(equipment_count, client=ClientFactory())

    response = make_client("viewer").get(CLIENTS)

    assert [row["equipment_count"] for row in response.json()["results"]] == [1, 0, 2]


# ------------------------------------------------------------------------------
# CSV export
# ------------------------------------------------------------------------------
def test_export_follows_the_csv_convention(make_client):
    client = ClientFactory(name='=HYPERLINK("http://evil")', city="Casablanca", ice=ICE)
    EquipmentFactory(client=client)

    header, *rows = csv_rows(make_client("viewer").get(EXPORT))

    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["name"] == '\'=HYPERLINK("http://evil")'
    assert row["reference"] == client.reference
    assert row["ice"] == ICE
    assert row["equipment_count"] == "1"
    assert row["is_active"] == "true"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d", row["created_at"])


def test_export_applies_the_list_filters_search_and_ordering(make_client):
    ClientFactory(name="Bravo", city="Rabat")
    ClientFactory(name="Alpha", city="Rabat")
    ClientFactory(name="Alpha Fès", city="Fès")

    header, *rows = csv_rows(make_client("manager").get(EXPORT, {"city": "Rabat", "ordering": "name"}))
    names = [dict(zip(header, row, strict=True))["name"] for row in rows]

    assert names == ["Alpha", "Bravo"]
    _, *searched = csv_rows(make_client("manager").get(EXPORT, {"search": "fès"}))
    assert len(searched) == 1


def test_export_is_not_paginated(make_client):
    ClientFactory.create_batch(30)

    _, *rows = csv_rows(make_client("admin").get(EXPORT, {"page_size": 5}))

    assert len(rows) == 30
