"""Generated tests of an API resource, from one declaration (NetBox's APIViewTestCases habit, in pytest).

A resource's `tests/<app>/test_resource.py` declares it once; `resource_tests` returns a test class
holding the tests that apply to it, chosen from `erp_mif.rbac.RULES`, each run as the roles it is about:

    def client_with_equipment(user=None) -> Client:
        client = ClientFactory()
        EquipmentFactory(client=client)  # the list counts equipment: rows that have some
        return client

    TestClientResource = resource_tests(
        Resource("client", "/api/v1/clients/", client_with_equipment, list_queries=2, patch={"city": "Fès"})
    )

- `name` is the resource's key in `RULES` and in the contract's `resources`.
- `make(user)` makes one record `user` may see: inside his scope when his role has one in
  `rbac.SCOPES`. `make()` makes one that no scoped role sees (an intervention nobody is assigned
  to, another user's notification). Give the records what a list row shows (relations, counted
  rows), so that the query pin covers it.
- `list_queries` is the number of queries of one list page, pinned exactly, for N rows and for 2N.
- `patch` is a PATCH body that changes the record; it is required when a role may `partial_update`.
  Pick fields whose value, as a GET shows it, may be sent back: a stale If-Match sends the old ones.

The tests, each where a role is granted what it needs:
- list: a list page runs `list_queries` queries with N rows and with 2N;
- retrieve: a record has a quoted strong ETag, the same for two reads; with partial_update, a PATCH
  changes it to the ETag of its own answer, a stale If-Match is a 412 that changes nothing and the
  current one is accepted; with destroy too, a DELETE with a stale If-Match is a 412 and keeps the record;
- export: the CSV's header row is the contract resource's fields, in the contract's order;
- scopes, for every role that reads the resource (retrieve, or list when it has no retrieve): a
  scoped role gets 404 on a record outside its scope (or does not list it) and sees one inside it,
  a role without a scope sees any record.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model

from erp_mif import rbac
from tests.helpers import assert_envelope, contract_fields, csv_rows, result_ids
from tests.rbac import ROLES

ROWS = 3  # N of the list's query pin: the page is read with N rows, then with 2N.
STRONG_ETAG = re.compile(r'"[^"]+"')


@dataclass(frozen=True)
class Resource:
    """One API resource as its generated tests see it (see the module's docstring)."""

    name: str
    collection: str
    make: Callable[..., Model]
    list_queries: int
    patch: Mapping[str, Any] | None = None

    def __post_init__(self):
        if self.name not in rbac.RULES:
            raise ValueError(f"{self.name!r} is not in erp_mif.rbac.RULES")
        if self.roles_granted("partial_update") and not self.patch:
            raise ValueError(f"a role may patch a {self.name}: give the resource a `patch` body")

    def url(self, record: Model) -> str:
        return f"{self.collection}{record.pk}/"

    def roles_granted(self, *actions: str) -> tuple[str, ...]:
        """The roles granted every one of `actions` on the resource, in `ROLES` order."""
        return tuple(role for role in ROLES if set(actions) <= rbac.allowed_actions(self.name, role))

    def is_scoped(self, role: str) -> bool:
        return role in rbac.SCOPES.get(self.name, {})

    @property
    def retrievable(self) -> bool:
        return bool(self.roles_granted("retrieve"))

    def readers(self) -> tuple[str, ...]:
        """The roles whose scope the tests check: those that retrieve, or list when no one retrieves."""
        return self.roles_granted("retrieve" if self.retrievable else "list")


def assert_sees(resource: Resource, api, record: Model) -> None:
    """`api` reads `record`: retrieves it, or finds it in the list when the resource has no retrieve."""
    if resource.retrievable:
        response = api.get(resource.url(record))
        assert response.status_code == 200, response.content
        assert response.json()["id"] == record.pk
    else:
        assert record.pk in result_ids(api.get(resource.collection))


def assert_does_not_see(resource: Resource, api, record: Model) -> None:
    """Retrieving `record` is a 404, or the list leaves it out when the resource has no retrieve."""
    if resource.retrievable:
        assert_envelope(api.get(resource.url(record)), 404, "not_found")
    else:
        assert record.pk not in result_ids(api.get(resource.collection))


def patched_since_read(resource: Resource, api, record: Model):
    """(the GET of `record`, the answer of a PATCH sent after it): that GET's ETag is stale now."""
    read = api.get(resource.url(record))
    assert read.status_code == 200, read.content
    patched = api.patch(resource.url(record), resource.patch, format="json")
    assert patched.status_code == 200, patched.content
    return read, patched


# ------------------------------------------------------------------------------
# The tests: methods of the generated class, which holds the `resource`
# ------------------------------------------------------------------------------
def test_a_list_page_runs_the_same_queries_for_n_and_2n_rows(self, role, make_client, django_assert_num_queries):
    api = make_client(role)
    records = []
    for rows in (ROWS, 2 * ROWS):
        records += [self.resource.make(api.user) for _ in range(rows - len(records))]

        with django_assert_num_queries(self.resource.list_queries):
            response = api.get(self.resource.collection)

        assert {record.pk for record in records} <= set(result_ids(response))


def test_a_record_has_a_strong_etag_the_same_for_two_reads(self, role, make_client):
    api = make_client(role)
    url = self.resource.url(self.resource.make(api.user))

    first, second = api.get(url), api.get(url)

    assert first.status_code == 200, first.content
    assert STRONG_ETAG.fullmatch(first["ETag"])
    assert second["ETag"] == first["ETag"]


def test_a_patch_changes_the_etag_to_the_one_of_its_answer(self, role, make_client):
    api = make_client(role)
    record = self.resource.make(api.user)

    read, patched = patched_since_read(self.resource, api, record)

    assert patched["ETag"] != read["ETag"]
    assert api.get(self.resource.url(record))["ETag"] == patched["ETag"]


def test_a_stale_if_match_is_refused_and_changes_nothing(self, role, make_client):
    api = make_client(role)
    record = self.resource.make(api.user)
    stale, patched = patched_since_read(self.resource, api, record)
    former_values = {field: stale.json()[field] for field in self.resource.patch}

    response = api.patch(self.resource.url(record), former_values, format="json", HTTP_IF_MATCH=stale["ETag"])

    assert_envelope(response, 412, "precondition_failed")
    now = api.get(self.resource.url(record))
    assert now["ETag"] == patched["ETag"]
    assert {field: now.json()[field] for field in self.resource.patch} == dict(self.resource.patch)


def test_the_current_if_match_is_accepted(self, role, make_client):
    api = make_client(role)
    url = self.resource.url(self.resource.make(api.user))
    current = api.get(url)["ETag"]

    response = api.patch(url, self.resource.patch, format="json", HTTP_IF_MATCH=current)

    assert response.status_code == 200, response.content
    assert {field: response.json()[field] for field in self.resource.patch} == dict(self.resource.patch)


def test_a_delete_with_a_stale_if_match_is_refused_and_keeps_the_record(self, role, make_client):
    api = make_client(role)
    record = self.resource.make(api.user)
    stale, _ = patched_since_read(self.resource, api, record)

    response = api.delete(self.resource.url(record), HTTP_IF_MATCH=stale["ETag"])

    assert_envelope(response, 412, "precondition_failed")
    assert_sees(self.resource, api, record)


def test_the_export_columns_are_the_contract_fields(self, role, make_client):
    api = make_client(role)
    self.resource.make(api.user)

    header, *rows = csv_rows(api.get(self.resource.collection + "export/"))

    assert header == contract_fields(self.resource.name)
    assert [len(row) for row in rows] == [len(header)]


def test_a_scoped_role_does_not_see_a_record_outside_its_scope(self, role, make_client):
    assert_does_not_see(self.resource, make_client(role), self.resource.make())


def test_a_scoped_role_sees_a_record_inside_its_scope(self, role, make_client):
    api = make_client(role)
    assert_sees(self.resource, api, self.resource.make(api.user))


def test_a_role_without_a_scope_sees_any_record(self, role, make_client):
    assert_sees(self.resource, make_client(role), self.resource.make())


def first_role_granted(*actions: str) -> Callable[[Resource], tuple[str, ...]]:
    """The test runs once, as the first role granted `actions`."""
    return lambda resource: resource.roles_granted(*actions)[:1]


def scoped(roles_of: Callable[[Resource], tuple[str, ...]]) -> Callable[[Resource], tuple[str, ...]]:
    """The test runs as each of those roles that has a scope on the resource."""
    return lambda resource: tuple(filter(resource.is_scoped, roles_of(resource)))


def unscoped_readers(resource: Resource) -> tuple[str, ...]:
    return tuple(role for role in resource.readers() if not resource.is_scoped(role))


# Each test and the roles it runs as: a test that no role qualifies for does not apply to the resource.
ROLES_OF_TEST: dict[Callable, Callable[[Resource], tuple[str, ...]]] = {
    test_a_list_page_runs_the_same_queries_for_n_and_2n_rows: first_role_granted("list"),
    test_a_record_has_a_strong_etag_the_same_for_two_reads: first_role_granted("retrieve"),
    test_a_patch_changes_the_etag_to_the_one_of_its_answer: first_role_granted("retrieve", "partial_update"),
    test_a_stale_if_match_is_refused_and_changes_nothing: first_role_granted("retrieve", "partial_update"),
    test_the_current_if_match_is_accepted: first_role_granted("retrieve", "partial_update"),
    test_a_delete_with_a_stale_if_match_is_refused_and_keeps_the_record: first_role_granted(
        "retrieve", "partial_update", "destroy"
    ),
    test_the_export_columns_are_the_contract_fields: first_role_granted("export"),
    test_a_scoped_role_does_not_see_a_record_outside_its_scope: scoped(Resource.readers),
    test_a_scoped_role_sees_a_record_inside_its_scope: scoped(Resource.readers),
    test_a_role_without_a_scope_sees_any_record: unscoped_readers,
}


def _parametrize_by_role(self, metafunc) -> None:
    """Runs each test once per role of `roles_of_test` (pytest calls a test class's `pytest_generate_tests`)."""
    metafunc.parametrize("role", self.roles_of_test[metafunc.function.__name__])


def resource_tests(resource: Resource) -> type:
    """A test class of the generated tests that apply to `resource`, named e.g. TestMaintenancePlanResource."""
    roles_of_test = {test.__name__: roles(resource) for test, roles in ROLES_OF_TEST.items()}
    name = "Test" + "".join(word.title() for word in resource.name.split("_")) + "Resource"
    return type(
        name,
        (),
        {
            "__doc__": f"The generated tests of the {resource.name} resource ({resource.collection}).",
            "pytestmark": [pytest.mark.django_db],
            "resource": resource,
            "roles_of_test": roles_of_test,
            "pytest_generate_tests": _parametrize_by_role,
            **{test.__name__: test for test in ROLES_OF_TEST if roles_of_test[test.__name__]},
        },
    )
