from rest_framework import permissions

from erp_mif import rbac


class RbacPermission(permissions.BasePermission):
    """Authenticated users may run the view's action when `rbac.RULES` lists it for their role.

    A view declares `rbac_resource`; its action name (DRF's `view.action`, or `rbac_action` for
    plain API views) is looked up in the table. A view with no resource only needs a login.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        resource = getattr(view, "rbac_resource", None)
        if resource is None or not _handles(request, view):
            # A method the view does not answer: let DRF say 405 method_not_allowed, not 403.
            return True
        return rbac.is_allowed(user, resource, _action(view))

    def has_object_permission(self, request, view, obj) -> bool:
        resource = getattr(view, "rbac_resource", None)
        return resource is None or rbac.is_allowed_on(request.user, resource, _action(view), obj)


def _action(view) -> str | None:
    return getattr(view, "action", None) or getattr(view, "rbac_action", None)


def _handles(request, view) -> bool:
    method = request.method.lower()
    return method in view.http_method_names and hasattr(view, method)
