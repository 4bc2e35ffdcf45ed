"""The back office follows the same RBAC table as the API: no separate grid of Django permissions."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from erp_mif import rbac
from erp_mif.core.errors import ApplicationError

_ADMIN_PERMISSION_TO_ACTION = {"view": "retrieve", "add": "create", "change": "update", "delete": "destroy"}


class RbacAdminMixin:
    """Grants the admin's view/add/change/delete from `rbac.RULES[rbac_resource]` for the user's role."""

    rbac_resource: str

    def _allowed(self, request, permission: str) -> bool:
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and rbac.is_allowed(user, self.rbac_resource, _ADMIN_PERMISSION_TO_ACTION[permission])
        )

    def has_module_permission(self, request):
        return self._allowed(request, "view")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view")

    def has_add_permission(self, request, *args):
        return self._allowed(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete")


class RbacModelAdmin(RbacAdminMixin, admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # a count(*) per page is costly on large tables


@contextmanager
def service_errors_as_form_errors() -> Iterator[None]:
    """A service's refusal, shown on the admin form's fields."""
    try:
        yield
    except ApplicationError as exc:
        raise ValidationError(dict(exc.errors) if exc.errors else str(exc.detail)) from exc


class ServiceRefusalsAsMessagesMixin:
    """For admins whose save_model calls services: a refusal raised while saving (a schedule
    conflict, a closed intervention...) is shown as a message on the form's page, never as a 500."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as exc:
            details = "; ".join(message for field_messages in (exc.errors or {}).values() for message in field_messages)
            self.message_user(request, f"{exc.detail} {details}".strip(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
