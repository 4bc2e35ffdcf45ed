"""Who may do what: roles x resources x actions, and the scopes that narrow a role to its own records.

This is the one place to read (and change) access rights. `RbacPermission` answers 403 for an
action missing here, and for an object an `OBJECT_RULES` predicate refuses; `ScopedQuerysetMixin`
filters querysets with `SCOPES`, so records outside a role's scope are 404. Tests check this
table against the contract's RBAC matrix.
"""

from collections.abc import Callable

from django.db.models import Q

from erp_mif.accounts.choices import Role

ADMIN, MANAGER, TECHNICIAN, VIEWER = Role.ADMIN, Role.MANAGER, Role.TECHNICIAN, Role.VIEWER

READ = frozenset({"list", "retrieve"})
CRUD = READ | {"create", "update", "partial_update", "destroy"}
NOTHING = frozenset()
WORKFLOW = frozenset({"start", "hold", "resume", "complete"})


def _same_for(roles, actions) -> dict[str, frozenset[str]]:
    return dict.fromkeys(roles, frozenset(actions))


RULES: dict[str, dict[str, frozenset[str]]] = {
    "user": {ADMIN: CRUD, MANAGER: NOTHING, TECHNICIAN: NOTHING, VIEWER: NOTHING},
    "client": {**_same_for((ADMIN, MANAGER), CRUD | {"export"}), TECHNICIAN: READ, VIEWER: READ | {"export"}},
    "site": {**_same_for((ADMIN, MANAGER), CRUD), TECHNICIAN: READ, VIEWER: READ},
    "equipment": {
        **_same_for((ADMIN, MANAGER), CRUD | {"export", "interventions"}),
        TECHNICIAN: READ | {"interventions"},
        VIEWER: READ | {"export", "interventions"},
    },
    "technician": {
        **_same_for((ADMIN, MANAGER), CRUD | {"schedule"}),
        TECHNICIAN: READ | {"schedule"},
        VIEWER: READ | {"schedule"},
    },
    "intervention": {
        **_same_for((ADMIN, MANAGER), CRUD | WORKFLOW | {"assign", "cancel", "history", "export"}),
        TECHNICIAN: READ | WORKFLOW | {"history"},
        VIEWER: READ | {"history", "export"},
    },
    "maintenance_plan": {**_same_for((ADMIN, MANAGER), CRUD), TECHNICIAN: READ, VIEWER: READ},
    "dashboard": _same_for((ADMIN, MANAGER, TECHNICIAN, VIEWER), {"retrieve"}),
    "document": {
        **_same_for((ADMIN, MANAGER), READ | {"create", "partial_update", "destroy", "download", "limits"}),
        TECHNICIAN: READ | {"create", "download", "limits"},
        VIEWER: READ | {"download", "limits"},
    },
    "notification": _same_for((ADMIN, MANAGER, TECHNICIAN, VIEWER), {"list", "read", "read_all", "unread_count"}),
}


def _own_interventions(user) -> Q:
    return Q(technicians__user=user)


# resource -> role -> the filter narrowing that resource's querysets for a user of that role.
SCOPES: dict[str, dict[str, Callable[..., Q]]] = {
    "intervention": {TECHNICIAN: _own_interventions},
    # The dashboard's per-technician rows: a technician sees his own only.
    "dashboard": {TECHNICIAN: lambda user: Q(user=user)},
    # A technician's documents are those of his interventions.
    "document": {TECHNICIAN: lambda user: Q(intervention__technicians__user=user)},
    # Everyone's notifications are his own, the admins' included.
    "notification": dict.fromkeys((ADMIN, MANAGER, TECHNICIAN, VIEWER), lambda user: Q(user=user)),
}

# resource -> role -> action -> predicate(user, obj): an object the predicate refuses is a 403
# (the record is visible, the action on it is not), e.g. a technician's schedule is his own only.
OBJECT_RULES: dict[str, dict[str, dict[str, Callable[..., bool]]]] = {
    "technician": {TECHNICIAN: {"schedule": lambda user, technician: technician.user_id == user.pk}},
    # A technician attaches documents to interventions only (his own: the target is looked up in his scope).
    "document": {TECHNICIAN: {"create": lambda user, document: document.intervention_id is not None}},
}


def allowed_actions(resource: str, role: str) -> frozenset[str]:
    return RULES.get(resource, {}).get(role, NOTHING)


def is_allowed(user, resource: str, action: str) -> bool:
    return action in allowed_actions(resource, user.role)


def is_allowed_on(user, resource: str, action: str, obj) -> bool:
    predicate = OBJECT_RULES.get(resource, {}).get(user.role, {}).get(action)
    return predicate is None or predicate(user, obj)


def scope_filter(user, resource: str) -> Q | None:
    """The filter narrowing `resource` to what `user` may see, or None when he sees everything."""
    scope = SCOPES.get(resource, {}).get(user.role)
    return scope(user) if scope else None


def scoped(queryset, user, resource: str):
    """`queryset` narrowed to what `user` may see of `resource`.

    A scope must match each row at most once (a user is one technician), so no DISTINCT is needed.
    """
    scope = scope_filter(user, resource)
    return queryset if scope is None else queryset.filter(scope)
