"""`erp_mif.rbac.RULES` is the contract's RBAC matrix, resource by resource."""

import json
import re
from pathlib import Path

import pytest

from erp_mif import rbac
from erp_mif.accounts.choices import Role

CONTRACT = json.loads((Path(__file__).resolve().parents[1] / "contract" / "frontend_contract.json").read_text())
MATRIX = {resource: rights for resource, rights in CONTRACT["rbac"].items() if not resource.startswith("_")}
ROLES = set(CONTRACT["enums"]["role"])

# "list (own)", "retrieve (own figures)", "create (on own interventions)": the action, and whether it is scoped.
_OWN_SUFFIX = re.compile(r"\s*\((own|own figures|on own interventions)\)$")

# Scopes that live in a view rather than in rbac.SCOPES / rbac.OBJECT_RULES: (resource, action) -> why.
SCOPED_IN_VIEW = {
    ("notification", "list"): "a notification list is always the caller's own",
    ("notification", "read"): "idem",
    ("notification", "read_all"): "idem",
    ("notification", "unread_count"): "idem",
    ("dashboard", "retrieve"): "the dashboard computes a technician's figures from his own interventions",
}
# Sub-collections that list another resource, and so follow that resource's scope.
SCOPED_BY_OTHER_RESOURCE = {("equipment", "interventions"): "intervention"}


def _parse(entry: str) -> tuple[str, bool]:
    action = _OWN_SUFFIX.sub("", entry)
    return action, action != entry


def _contract_actions(resource: str, role: str) -> tuple[set[str], set[str]]:
    """(every action, the actions limited to one's own records) of a role on a resource."""
    parsed = [_parse(entry) for entry in MATRIX[resource][role]]
    return {action for action, _ in parsed}, {action for action, own in parsed if own}


def _has_scope(resource: str, role: str, action: str) -> bool:
    if role in rbac.SCOPES.get(resource, {}):
        return True
    if action in getattr(rbac, "OBJECT_RULES", {}).get(resource, {}).get(role, {}):
        return True
    if (resource, action) in SCOPED_IN_VIEW:
        return True
    other = SCOPED_BY_OTHER_RESOURCE.get((resource, action))
    return other is not None and role in rbac.SCOPES.get(other, {})


def test_the_suffix_parser():
    assert _parse("list (own)") == ("list", True)
    assert _parse("retrieve (own figures)") == ("retrieve", True)
    assert _parse("create (on own interventions)") == ("create", True)
    assert _parse("partial_update") == ("partial_update", False)


def test_contract_roles_are_the_role_choices():
    assert {role.value for role in Role} == ROLES
    for resource, rights in MATRIX.items():
        assert set(rights) == ROLES, resource


def test_every_resource_in_rules_is_in_the_contract():
    assert set(rbac.RULES) <= set(MATRIX)
    assert "user" in rbac.RULES


@pytest.mark.parametrize("resource", sorted(rbac.RULES))
def test_rules_match_the_contract(resource):
    assert set(rbac.RULES[resource]) == ROLES
    for role in ROLES:
        expected, _ = _contract_actions(resource, role)
        assert set(rbac.RULES[resource][role]) == expected, f"{resource} / {role}"
        assert rbac.allowed_actions(resource, role) == rbac.RULES[resource][role]


@pytest.mark.parametrize("resource", sorted(rbac.RULES))
def test_own_actions_have_a_scope(resource):
    for role in ROLES:
        _, own = _contract_actions(resource, role)
        missing = sorted(action for action in own if not _has_scope(resource, role, action))
        assert not missing, f"{resource} / {role}: no scope for {missing}"


@pytest.mark.parametrize("resource", sorted(rbac.SCOPES))
def test_scopes_only_narrow_roles_the_contract_limits_to_their_own(resource):
    for role in rbac.SCOPES[resource]:
        _, own = _contract_actions(resource, role)
        assert own, f"{resource} / {role} is scoped but the contract gives it every record"


def test_user_administration_is_for_admins_only():
    assert rbac.RULES["user"][Role.ADMIN] == {"list", "retrieve", "create", "update", "partial_update", "destroy"}
    for role in (Role.MANAGER, Role.TECHNICIAN, Role.VIEWER):
        assert rbac.RULES["user"][role] == frozenset()
    assert "user" not in rbac.SCOPES


def test_unknown_resource_or_role_allows_nothing():
    assert rbac.allowed_actions("no-such-resource", Role.ADMIN) == frozenset()
    assert rbac.allowed_actions("user", "no-such-role") == frozenset()
