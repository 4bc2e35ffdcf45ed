"""Declarative RBAC test cases, derived from `erp_mif.rbac.RULES`.

A resource's test module lists its endpoints once, as action -> `Endpoint`, and parametrizes one
test with `rbac_cases(resource, endpoints)`: every role gets the endpoint's success status for an
action the table grants it and 403 for any other; an anonymous caller gets 401 everywhere.

    ENDPOINTS = {
        "list": Endpoint("get", "/api/v1/clients/", 200),
        "retrieve": Endpoint("get", "/api/v1/clients/{pk}/", 200),
        "create": Endpoint("post", "/api/v1/clients/", 201),
    }

    @pytest.mark.parametrize(("role", "action", "expected"), rbac_cases("client", ENDPOINTS))
    def test_client_rbac(role, action, expected, make_client, api_client):
        client = make_client(role) if role else api_client
        response = call(client, ENDPOINTS[action], pk=ClientFactory().pk, body={...})
        assert response.status_code == expected, response.content

A record outside a role's scope (`erp_mif.rbac.SCOPES`) is 404, which is for the resource's own
scope tests: these cases use a record the role may see.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from erp_mif import rbac
from erp_mif.accounts.choices import Role

ROLES: tuple[str, ...] = tuple(role.value for role in Role)
ANONYMOUS = None


@dataclass(frozen=True)
class Endpoint:
    """One API action: method, path (with `{pk}` for a record) and the status when it is allowed."""

    method: str
    path: str
    status: int
    format: str = "json"

    def url(self, **kwargs: Any) -> str:
        return self.path.format(**kwargs)


def rbac_cases(
    resource: str,
    endpoints: Mapping[str, Endpoint],
    *,
    roles: tuple[str, ...] = ROLES,
    anonymous: bool = True,
) -> list[Any]:
    """`pytest.param(role, action, expected_status)` for every role x action (role None = anonymous).

    Every action the table grants for `resource` must have an endpoint, so a right added to
    `RULES` cannot go untested.
    """
    if resource not in rbac.RULES:
        raise ValueError(f"{resource!r} is not in erp_mif.rbac.RULES")
    granted = set().union(*rbac.RULES[resource].values())
    if missing := granted - set(endpoints):
        raise ValueError(f"no endpoint given for the {resource} actions {sorted(missing)}")
    cases = []
    for action, endpoint in endpoints.items():
        for role in roles:
            expected = endpoint.status if action in rbac.allowed_actions(resource, role) else 403
            cases.append(pytest.param(role, action, expected, id=f"{role}-{action}-{expected}"))
        if anonymous:
            cases.append(pytest.param(ANONYMOUS, action, 401, id=f"anonymous-{action}-401"))
    return cases


def call(client, endpoint: Endpoint, *, body: Mapping | Callable[[], Mapping] | None = None, **url_kwargs: Any):
    """Send the endpoint's request with `client`; `body` (or what it returns) is sent for writes."""
    data = body() if callable(body) else body
    method = getattr(client, endpoint.method.lower())
    if endpoint.method.lower() in {"get", "delete", "head", "options"}:
        return method(endpoint.url(**url_kwargs))
    return method(endpoint.url(**url_kwargs), data or {}, format=endpoint.format)


def crud_endpoints(collection: str) -> dict[str, Endpoint]:
    """The six CRUD actions of a resource at `collection` (e.g. /api/v1/clients/), records at `{pk}/`."""
    record = collection + "{pk}/"
    return {
        "list": Endpoint("get", collection, 200),
        "retrieve": Endpoint("get", record, 200),
        "create": Endpoint("post", collection, 201),
        "update": Endpoint("put", record, 200),
        "partial_update": Endpoint("patch", record, 200),
        "destroy": Endpoint("delete", record, 204),
    }
