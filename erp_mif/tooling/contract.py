"""Compare the API's OpenAPI document with the frontend contract (contract/frontend_contract.json).

The contract is what the frontend team codes against; the OpenAPI document is what drf-spectacular reads from
our serializers and views. Every difference between the two is a `Gap`, reported by `check_contract`.
Everything here works on plain dicts so it can be tested without a running API; only the few endpoints
drf-spectacular leaves out of its own document (the schema and the docs page) are checked against the URLconf.
"""

import re
from typing import NamedTuple

from django.urls import Resolver404, resolve

# Group of an endpoint = the part of its id before the first dot, named as the frontend names its modules.
GROUPS = {
    "auth": "auth",
    "user": "users",
    "health": "health",
    "schema": "schema",
    "docs": "docs",
    "client": "clients",
    "site": "sites",
    "equipment": "equipment",
    "technician": "technicians",
    "intervention": "interventions",
    "maintenance_plan": "maintenance_plans",
    "document": "documents",
    "notification": "notifications",
    "dashboard": "dashboard",
}

# drf-spectacular excludes its own views from the document it generates: these groups are checked by routing.
ROUTED_ONLY_GROUPS = {"schema", "docs"}

# Contract field type -> OpenAPI types that carry it. Decimals rendered as strings are a gap on purpose:
# the contract says numbers are JSON numbers, never strings.
OPENAPI_TYPES = {
    "integer": {"integer"},
    "number": {"number", "integer"},
    "boolean": {"boolean"},
    "array": {"array"},
    "object": {"object"},
    "string": {"string"},
    "date": {"string"},
    "datetime": {"string"},
    "file": {"string"},
}

PAGE_ENVELOPE = ("count", "next", "previous", "results")
WRAPPED_BODY = re.compile(r"^(?P<wrapper>page|partial|array)<(?P<inner>.+)>$")
PATH_PARAMETER = re.compile(r"\{[^}/]+\}")


class Gap(NamedTuple):
    endpoint: str
    method: str
    path: str
    problem: str

    def __str__(self):
        return f"GAP  {self.endpoint}  {self.method} {self.path}  {self.problem}"


class Body(NamedTuple):
    """A contract body reduced to what can be checked: its shape, its fields (None: descriptive only), partial."""

    shape: str  # "object", "page" or "array"
    fields: dict | None
    partial: bool = False


# --- selecting endpoints ---------------------------------------------------------------------------------------


def endpoint_group(endpoint_id: str) -> str:
    prefix = endpoint_id.split(".", 1)[0]
    return GROUPS.get(prefix, prefix)


def parse_groups(only: str) -> set[str]:
    """`--only user,clients,maintenance-plans` -> {"users", "clients", "maintenance_plans"}; unknown names raise."""
    groups = set()
    for name in filter(None, (part.strip().replace("-", "_") for part in only.split(","))):
        if name in GROUPS:
            groups.add(GROUPS[name])
        elif name in GROUPS.values():
            groups.add(name)
        else:
            known = ", ".join(sorted(set(GROUPS.values())))
            raise ValueError(f"unknown group '{name}' (known: {known})")
    return groups


# --- reading the OpenAPI document -------------------------------------------------------------------------------


def resolve_schema(schema: dict, openapi: dict) -> dict:
    """Follow `$ref`s, and the one-member `allOf` drf-spectacular wraps a `$ref` in to add readOnly or a title."""
    while True:
        if "$ref" in schema:
            node = openapi
            for key in schema["$ref"].removeprefix("#/").split("/"):
                node = node[key]
            schema = node
        elif len(schema.get("allOf", ())) == 1:
            siblings = {key: value for key, value in schema.items() if key != "allOf"}
            schema = {**resolve_schema(schema["allOf"][0], openapi), **siblings}
        else:
            return schema


def enum_values(schema: dict, openapi: dict) -> set | None:
    """The values an enum field accepts, or None when it is not an enum.

    A nullable or blankable choice comes out as `oneOf: [FooEnum, BlankEnum, NullEnum]`: "" and null say the
    field may be empty, they are not values of the contract's enum.
    """
    schema = resolve_schema(schema, openapi)
    if "enum" in schema:
        return {value for value in schema["enum"] if value not in ("", None)}
    found = [enum_values(member, openapi) for key in ("oneOf", "anyOf") for member in schema.get(key, ())]
    found = [values for values in found if values is not None]
    return set().union(*found) if found else None


def path_shape(path: str) -> str:
    """Path parameters match by position, not by name: /users/{id}/ and /users/{pk}/ are the same path."""
    return PATH_PARAMETER.sub("{}", path)


def find_path_item(openapi: dict, full_path: str) -> dict | None:
    wanted = path_shape(full_path)
    return next((item for path, item in openapi.get("paths", {}).items() if path_shape(path) == wanted), None)


def request_schema(operation: dict, openapi: dict) -> dict | None:
    """The request body schema, JSON preferred; uploads (document.create) only have multipart/form-data."""
    content = operation.get("requestBody", {}).get("content", {})
    media = content.get("application/json") or content.get("multipart/form-data")
    return resolve_schema(media["schema"], openapi) if media and "schema" in media else None


def response_schema(response: dict, openapi: dict) -> dict | None:
    media = response.get("content", {}).get("application/json")
    return resolve_schema(media["schema"], openapi) if media and "schema" in media else None


# --- reading the contract ----------------------------------------------------------------------------------------


def contract_body(spec, resources: dict) -> Body | None:
    """What a contract `request` or `response[status]` asks for; None when there is nothing to check.

    Strings that are neither a resource nor a wrapper ("error", "text/csv", "the file's bytes"...) describe
    bodies that are not JSON objects, and `null` is no body at all (204).
    """
    if isinstance(spec, dict):
        return Body("object", spec)
    if not isinstance(spec, str):
        return None
    if spec in resources:
        return Body("object", resources[spec])
    wrapped = WRAPPED_BODY.match(spec)
    if not wrapped:
        return None
    wrapper, inner = wrapped["wrapper"], wrapped["inner"]
    fields = resources.get(inner)  # array<{at: datetime, ...}> is a description: only its arrayness is checked
    if wrapper == "partial":
        return Body("object", fields, partial=True) if fields is not None else None
    return Body(wrapper, fields)


def field_spec(spec) -> dict:
    """A field is a spec dict, or a resource name for a nested object (auth.login's `user`)."""
    return spec if isinstance(spec, dict) else {"type": "object", "resource": spec}


def success_status(endpoint: dict) -> str | None:
    return min((status for status in endpoint.get("response", {}) if status.startswith("2")), default=None)


# --- comparing ---------------------------------------------------------------------------------------------------


def value_problems(label: str, spec: dict, schema: dict, contract: dict, openapi: dict) -> list[str]:
    """Type and enum of one field present on both sides."""
    problems = []
    actual_type = resolve_schema(schema, openapi).get("type")
    expected_types = OPENAPI_TYPES.get(spec.get("type"))
    # No `type` (oneOf for nullable enums, {} for free JSON) says nothing about the type: not a gap.
    if isinstance(actual_type, str) and expected_types and actual_type not in expected_types:
        problems.append(f"{label} is {actual_type}, contract says {spec['type']}")
    if "enum" in spec:
        expected = set(contract["enums"][spec["enum"]])
        actual = enum_values(schema, openapi)
        if actual is None:
            problems.append(f"{label} is not an enum, contract says enum {spec['enum']}")
        elif actual != expected:
            missing, extra = sorted(expected - actual), sorted(actual - expected)
            problems.append(f"{label} enum differs from {spec['enum']}: missing {missing}, unexpected {extra}")
    return problems


def request_problems(body: Body, schema: dict | None, contract: dict, openapi: dict) -> list[str]:
    """Every writable field is accepted, and required exactly when the contract requires it."""
    writable = {name: field_spec(spec) for name, spec in body.fields.items()}
    writable = {name: spec for name, spec in writable.items() if not spec.get("read_only")}
    if not writable:
        return []
    if schema is None:
        return ["request body missing"]
    properties, required = schema.get("properties", {}), set(schema.get("required", ()))
    problems = []
    for name, spec in writable.items():
        if name not in properties:
            problems.append(f"request field '{name}' missing")
            continue
        # A partial<...> body is a PATCH: the frontend sends only what changed.
        should_require = bool(spec.get("required")) and not body.partial
        if should_require and name not in required:
            problems.append(f"request field '{name}' should be required")
        elif not should_require and name in required:
            problems.append(f"request field '{name}' should not be required")
        problems += value_problems(f"request field '{name}'", spec, properties[name], contract, openapi)
    return problems


def response_field_problems(fields: dict, schema: dict, contract: dict, openapi: dict, prefix: str = "") -> list[str]:
    """Every readable field is there; write-only ones (passwords, uploads) are never required in a response."""
    properties, required = schema.get("properties", {}), set(schema.get("required", ()))
    problems = []
    for name, raw_spec in fields.items():
        spec, label = field_spec(raw_spec), f"response field '{prefix}{name}'"
        if spec.get("write_only"):
            if name in required:
                problems.append(f"{label} is write-only and should not be required")
            continue
        if name not in properties:
            problems.append(f"{label} missing")
            continue
        problems += value_problems(label, spec, properties[name], contract, openapi)
        if "resource" in spec:
            nested = resolve_schema(properties[name], openapi)
            resource = contract["resources"][spec["resource"]]
            problems += response_field_problems(resource, nested, contract, openapi, prefix=f"{prefix}{name}.")
    return problems


def response_problems(body: Body, schema: dict | None, status: str, contract: dict, openapi: dict) -> list[str]:
    """The success body has the contract's shape (page envelope, array, object) and fields."""
    if schema is None:
        return [f"response {status} has no JSON body"]
    if body.shape == "page":
        properties = schema.get("properties", {})
        if any(key not in properties for key in PAGE_ENVELOPE):
            return [f"response {status} is not paginated (expected {', '.join(PAGE_ENVELOPE)})"]
        schema = resolve_schema(resolve_schema(properties["results"], openapi).get("items", {}), openapi)
    elif body.shape == "array":
        if schema.get("type") != "array":
            return [f"response {status} is not an array"]
        schema = resolve_schema(schema.get("items", {}), openapi)
    if body.fields is None:
        return []
    return response_field_problems(body.fields, schema, contract, openapi)


def operation_problems(endpoint: dict, operation: dict, contract: dict, openapi: dict) -> list[str]:
    resources, problems = contract["resources"], []
    request = contract_body(endpoint.get("request"), resources)
    if request is not None and request.fields is not None:
        problems += request_problems(request, request_schema(operation, openapi), contract, openapi)
    status = success_status(endpoint)
    if status is None:
        return problems
    response = operation.get("responses", {}).get(status)
    if response is None:
        documented = ", ".join(sorted(operation.get("responses", {}))) or "none"
        return [*problems, f"response {status} missing (documented: {documented})"]
    expected = contract_body(endpoint["response"][status], resources)
    if expected is not None:
        problems += response_problems(expected, response_schema(response, openapi), status, contract, openapi)
    return problems


def documented_endpoint_problems(endpoint: dict, contract: dict, openapi: dict) -> list[str]:
    path_item = find_path_item(openapi, contract["base_path"] + endpoint["path"])
    if path_item is None:
        return ["path missing"]
    operation = path_item.get(endpoint["method"].lower())
    if operation is None:
        return ["method missing"]
    return operation_problems(endpoint, operation, contract, openapi)


def routed_endpoint_problems(endpoint: dict, contract: dict) -> list[str]:
    """The path resolves to a class-based view that answers the method.

    The API's catch-all 404 resolves every path too, but it is a plain function: a view without `view_class`
    does not count as the endpoint.
    """
    try:
        view = resolve(contract["base_path"] + endpoint["path"]).func
    except Resolver404:
        return ["path missing"]
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return ["path missing"]
    method = endpoint["method"].lower()
    if method not in view_class.http_method_names or not hasattr(view_class, method):
        return ["method missing"]
    return []


def check_contract(contract: dict, openapi: dict, groups: set[str] | None = None) -> tuple[list[Gap], int]:
    """Every gap between the contract's endpoints (those of `groups`, or all) and the API; and how many were checked."""
    endpoints = [
        endpoint for endpoint in contract["endpoints"] if groups is None or endpoint_group(endpoint["id"]) in groups
    ]
    gaps = []
    for endpoint in endpoints:
        if endpoint_group(endpoint["id"]) in ROUTED_ONLY_GROUPS:
            problems = routed_endpoint_problems(endpoint, contract)
        else:
            problems = documented_endpoint_problems(endpoint, contract, openapi)
        gaps += [Gap(endpoint["id"], endpoint["method"], endpoint["path"], problem) for problem in problems]
    return gaps, len(endpoints)
