import copy

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from erp_mif.tooling.contract import check_contract, parse_groups

ITEM_REF = {"$ref": "#/components/schemas/Item"}

# A small contract in the frontend contract's format: one resource, one enum, the usual CRUD endpoints.
CONTRACT = {
    "base_path": "/api/v1",
    "enums": {"color": ["red", "green"]},
    "resources": {
        "item": {
            "id": {"type": "integer", "read_only": True},
            "name": {"type": "string", "required": True},
            "color": {"type": "string", "enum": "color"},
            "count": {"type": "integer"},
            "secret": {"type": "string", "write_only": True},
        }
    },
    "endpoints": [
        {"id": "item.list", "method": "GET", "path": "/items/", "response": {"200": "page<item>"}},
        {"id": "item.create", "method": "POST", "path": "/items/", "request": "item", "response": {"201": "item"}},
        {"id": "item.retrieve", "method": "GET", "path": "/items/{id}/", "response": {"200": "item", "404": "error"}},
        {
            "id": "item.partial_update",
            "method": "PATCH",
            "path": "/items/{id}/",
            "request": "partial<item>",
            "response": {"200": "item"},
        },
        {"id": "item.destroy", "method": "DELETE", "path": "/items/{id}/", "response": {"204": None}},
        {"id": "item.export", "method": "GET", "path": "/items/export/", "response": {"200": "text/csv"}},
    ],
}


def json_body(schema):
    return {"content": {"application/json": {"schema": schema}}}


def make_openapi():
    """The OpenAPI document drf-spectacular would produce for an API that honours CONTRACT."""
    item_fields = {
        "name": {"type": "string"},
        "color": {"$ref": "#/components/schemas/ColorEnum"},
        "count": {"type": "integer"},
    }
    return {
        "paths": {
            "/api/v1/items/": {
                "get": {"responses": {"200": json_body({"$ref": "#/components/schemas/PaginatedItemList"})}},
                "post": {
                    "requestBody": json_body({"$ref": "#/components/schemas/ItemRequest"}),
                    "responses": {"201": json_body(ITEM_REF)},
                },
            },
            # Path parameters match by position: {pk} here is the contract's {id}.
            "/api/v1/items/{pk}/": {
                "get": {"responses": {"200": json_body(ITEM_REF)}},
                "patch": {
                    "requestBody": json_body({"$ref": "#/components/schemas/PatchedItemRequest"}),
                    "responses": {"200": json_body(ITEM_REF)},
                },
                "delete": {"responses": {"204": {"description": "No response body"}}},
            },
            "/api/v1/items/export/": {"get": {"responses": {"200": {"content": {"text/csv": {}}}}}},
        },
        "components": {
            "schemas": {
                "ColorEnum": {"type": "string", "enum": ["red", "green"]},
                "Item": {
                    "type": "object",
                    "properties": {"id": {"type": "integer", "readOnly": True}, **item_fields},
                    "required": ["id", "name"],
                },
                "ItemRequest": {
                    "type": "object",
                    "properties": {**item_fields, "secret": {"type": "string", "writeOnly": True}},
                    "required": ["name"],
                },
                "PatchedItemRequest": {
                    "type": "object",
                    "properties": {**item_fields, "secret": {"type": "string", "writeOnly": True}},
                },
                "PaginatedItemList": {
                    "type": "object",
                    "required": ["count", "results"],
                    "properties": {
                        "count": {"type": "integer"},
                        "next": {"type": "string", "nullable": True},
                        "previous": {"type": "string", "nullable": True},
                        "results": {"type": "array", "items": ITEM_REF},
                    },
                },
            }
        },
    }


def problems(openapi, contract=CONTRACT):
    gaps, _checked = check_contract(contract, openapi)
    return [(gap.endpoint, gap.problem) for gap in gaps]


@pytest.fixture
def openapi():
    return make_openapi()


def schemas(openapi):
    return openapi["components"]["schemas"]


def test_an_api_that_honours_the_contract_has_no_gap(openapi):
    gaps, checked = check_contract(CONTRACT, openapi)

    assert gaps == []
    assert checked == len(CONTRACT["endpoints"])


def test_missing_path_is_a_gap(openapi):
    del openapi["paths"]["/api/v1/items/export/"]

    gaps, _checked = check_contract(CONTRACT, openapi)

    assert [str(gap) for gap in gaps] == ["GAP  item.export  GET /items/export/  path missing"]


def test_missing_method_is_a_gap(openapi):
    del openapi["paths"]["/api/v1/items/{pk}/"]["delete"]

    assert problems(openapi) == [("item.destroy", "method missing")]


def test_missing_success_status_is_a_gap(openapi):
    create = openapi["paths"]["/api/v1/items/"]["post"]
    create["responses"] = {"200": create["responses"]["201"]}

    assert problems(openapi) == [("item.create", "response 201 missing (documented: 200)")]


def test_missing_request_field_is_a_gap(openapi):
    del schemas(openapi)["ItemRequest"]["properties"]["count"]

    assert problems(openapi) == [("item.create", "request field 'count' missing")]


def test_write_only_field_is_expected_in_requests(openapi):
    del schemas(openapi)["PatchedItemRequest"]["properties"]["secret"]

    assert problems(openapi) == [("item.partial_update", "request field 'secret' missing")]


def test_missing_response_field_is_a_gap_on_every_endpoint_returning_the_resource(openapi):
    del schemas(openapi)["Item"]["properties"]["count"]

    assert problems(openapi) == [
        ("item.list", "response field 'count' missing"),
        ("item.create", "response field 'count' missing"),
        ("item.retrieve", "response field 'count' missing"),
        ("item.partial_update", "response field 'count' missing"),
    ]


def test_write_only_field_required_in_a_response_is_a_gap(openapi):
    item = schemas(openapi)["Item"]
    item["properties"]["secret"] = {"type": "string"}
    item["required"].append("secret")

    assert ("item.retrieve", "response field 'secret' is write-only and should not be required") in problems(openapi)


def test_required_field_not_required_in_create_is_a_gap(openapi):
    schemas(openapi)["ItemRequest"]["required"] = []

    assert problems(openapi) == [("item.create", "request field 'name' should be required")]


def test_optional_field_required_in_create_is_a_gap(openapi):
    schemas(openapi)["ItemRequest"]["required"] = ["name", "color"]

    assert problems(openapi) == [("item.create", "request field 'color' should not be required")]


def test_any_required_field_in_a_partial_request_is_a_gap(openapi):
    schemas(openapi)["PatchedItemRequest"]["required"] = ["name"]

    assert problems(openapi) == [("item.partial_update", "request field 'name' should not be required")]


def test_enum_values_differing_from_the_contract_is_a_gap(openapi):
    schemas(openapi)["ColorEnum"]["enum"] = ["red", "blue"]

    found = problems(openapi)

    message = "enum differs from color: missing ['green'], unexpected ['blue']"
    assert ("item.create", f"request field 'color' {message}") in found
    assert ("item.retrieve", f"response field 'color' {message}") in found


def test_choice_rendered_without_enum_is_a_gap(openapi):
    schemas(openapi)["Item"]["properties"]["color"] = {"type": "string"}

    assert ("item.retrieve", "response field 'color' is not an enum, contract says enum color") in problems(openapi)


def test_nullable_enum_through_one_of_is_compared_without_blank_and_null(openapi):
    schemas(openapi).update(
        {"BlankEnum": {"enum": [""]}, "NullEnum": {"enum": [None]}, "WrongEnum": {"type": "string", "enum": ["red"]}}
    )
    nullable = {
        "oneOf": [
            {"$ref": "#/components/schemas/ColorEnum"},
            {"$ref": "#/components/schemas/BlankEnum"},
            {"$ref": "#/components/schemas/NullEnum"},
        ]
    }
    schemas(openapi)["ItemRequest"]["properties"]["color"] = nullable
    assert problems(openapi) == []

    nullable["oneOf"][0] = {"$ref": "#/components/schemas/WrongEnum"}
    assert problems(openapi) == [
        ("item.create", "request field 'color' enum differs from color: missing ['green'], unexpected []")
    ]


def test_enum_wrapped_in_all_of_is_followed(openapi):
    schemas(openapi)["ColorEnum"]["enum"] = ["red"]
    schemas(openapi)["Item"]["properties"]["color"] = {
        "allOf": [{"$ref": "#/components/schemas/ColorEnum"}],
        "readOnly": True,
    }

    assert ("item.retrieve", "response field 'color' enum differs from color: missing ['green'], unexpected []") in (
        problems(openapi)
    )


def test_unpaginated_list_is_a_gap(openapi):
    list_response = openapi["paths"]["/api/v1/items/"]["get"]["responses"]["200"]
    list_response["content"]["application/json"]["schema"] = {"type": "array", "items": ITEM_REF}

    assert problems(openapi) == [
        ("item.list", "response 200 is not paginated (expected count, next, previous, results)")
    ]


def test_integer_rendered_as_string_is_a_gap(openapi):
    schemas(openapi)["Item"]["properties"]["count"] = {"type": "string"}

    assert ("item.retrieve", "response field 'count' is string, contract says integer") in problems(openapi)


def test_nested_resource_fields_are_checked(openapi):
    contract = copy.deepcopy(CONTRACT)
    contract["endpoints"] = [
        {"id": "item.summary", "method": "GET", "path": "/items/", "response": {"200": {"item": "item"}}},
    ]
    openapi["paths"]["/api/v1/items/"]["get"]["responses"]["200"] = json_body(
        # drf-spectacular wraps a $ref in allOf when it adds readOnly to it.
        {"type": "object", "properties": {"item": {"allOf": [ITEM_REF], "readOnly": True}}}
    )
    assert problems(openapi, contract) == []

    del schemas(openapi)["Item"]["properties"]["name"]
    assert problems(openapi, contract) == [("item.summary", "response field 'item.name' missing")]


def test_multipart_request_is_checked_when_there_is_no_json(openapi):
    create = openapi["paths"]["/api/v1/items/"]["post"]
    multipart_schema = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    create["requestBody"] = {"content": {"multipart/form-data": {"schema": multipart_schema}}}

    assert problems(openapi) == [
        ("item.create", "request field 'color' missing"),
        ("item.create", "request field 'count' missing"),
        ("item.create", "request field 'secret' missing"),
    ]


def test_groups_accept_singular_and_plural_names_and_refuse_unknown_ones():
    assert parse_groups("user,clients,maintenance-plans") == {"users", "clients", "maintenance_plans"}
    with pytest.raises(ValueError, match="unknown group 'widgets'"):
        parse_groups("users,widgets")


def test_only_limits_the_check_to_the_groups(openapi):
    del openapi["paths"]["/api/v1/items/export/"]
    contract = copy.deepcopy(CONTRACT)
    contract["endpoints"].append({"id": "user.me", "method": "GET", "path": "/me/", "response": {"200": "item"}})

    gaps, checked = check_contract(contract, openapi, groups={"users"})

    assert checked == 1
    assert [(gap.endpoint, gap.problem) for gap in gaps] == [("user.me", "path missing")]


def test_schema_and_docs_are_checked_against_the_urlconf():
    contract = {
        "base_path": "/api/v1",
        "endpoints": [
            {"id": "schema", "method": "GET", "path": "/schema/"},
            {"id": "schema.upload", "method": "POST", "path": "/schema/"},
            # The API's catch-all 404 resolves this path, but it is not an endpoint.
            {"id": "docs", "method": "GET", "path": "/no-such-docs/"},
        ],
    }

    gaps, checked = check_contract(contract, openapi={"paths": {}})

    assert checked == 3
    assert [(gap.endpoint, gap.problem) for gap in gaps] == [
        ("schema.upload", "method missing"),
        ("docs", "path missing"),
    ]


@pytest.mark.django_db
def test_the_platform_honours_the_contract(capsys):
    call_command("validate_contract", "--only", "auth,users,health,schema,docs")

    out = capsys.readouterr().out
    assert "GAP" not in out
    assert "no gap" in out


@pytest.mark.django_db
@pytest.mark.django_db
def test_openapi_file_lacking_a_path_fails_and_names_the_gap(tmp_path, capsys):
    document = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(document))
    openapi = yaml.safe_load(document.read_text())
    del openapi["paths"]["/api/v1/auth/me/"]
    document.write_text(yaml.safe_dump(openapi))

    with pytest.raises(CommandError, match="2 gaps in 8 endpoints checked"):
        call_command("validate_contract", "--openapi", str(document), "--only", "auth")

    out = capsys.readouterr().out
    assert "GAP  auth.me  GET /auth/me/  path missing" in out
    assert "GAP  auth.me_update  PATCH /auth/me/  path missing" in out


def test_unknown_group_is_a_command_error():
    with pytest.raises(CommandError, match="unknown group"):
        call_command("validate_contract", "--only", "widgets")
