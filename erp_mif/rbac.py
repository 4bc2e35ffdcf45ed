"""Who may do what: roles x resources x actions, and the scopes that narrow a role to its own records.

This is the one place to read (and change) access rights. `RbacPermission` answers 403 for an
action missing here; `ScopedQuerysetMixin` filters querysets with `SCOPES`, so records outside a
role's scope are 404. Tests check this table against the contract's RBAC matrix.
"""

from collections.abc import Callable

from django.db.models import Q

from erp_mif.accounts.choices import Role

CRUD = frozenset({"list", "retrieve", "create", "update", "partial_update", "destroy"})
READ = frozenset({"list", "retrieve"})

RULES: dict[str, dict[str, frozenset[str]]] = {
    "user": {
        Role.ADMIN: CRUD,
        Role.MANAGER: frozenset(),
        Role.TECHNICIAN: frozenset(),
        Role.VIEWER: frozenset(),
    },
}

# resource -> role -> the filter a queryset of that resource gets for a user of that role.
SCOPES: dict[str, dict[str, Callable[..., Q]]] = {}


def allowed_actions(resource: str, role: str) -> frozenset[str]:
    return RULES.get(resource, {}).get(role, frozenset())


def is_allowed(user, resource: str, action: str) -> bool:
    return action in allowed_actions(resource, user.role)


def scope_filter(user, resource: str) -> Q | None:
    """The filter narrowing `resource` to what `user` may see, or None when he sees everything."""
    scope = SCOPES.get(resource, {}).get(user.role)
    return scope(user) if scope else None
