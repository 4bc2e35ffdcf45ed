from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from erp_mif.admin import RbacAdminMixin, service_errors_as_form_errors
from erp_mif.api.remote import client_ip

from . import selectors, services
from .choices import Role
from .models import LoginFailure, User


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The back office's login, under the API's brute-force lockout: the same counters for both doors."""

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = services.credentials_check(
                    email=email, password=password, ip_address=client_ip(self.request), request=self.request
                )
            except services.LockedOut as exc:
                minutes = -(-exc.wait // 60)
                message = ngettext(
                    "Too many failed attempts. Try again in %(minutes)s minute.",
                    "Too many failed attempts. Try again in %(minutes)s minutes.",
                    minutes,
                )
                raise ValidationError(message, code="locked_out", params={"minutes": minutes}) from exc
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "role", "first_name", "last_name", "phone"]

    def clean(self):
        cleaned = super().clean()
        with service_errors_as_form_errors():
            services.user_check_changes(user=None, role=cleaned.get("role"), is_active=True)
        return cleaned


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        with service_errors_as_form_errors():
            services.user_check_changes(
                user=self.instance,
                role=cleaned.get("role", self.instance.role),
                is_active=cleaned.get("is_active", True),
            )
        return cleaned


@admin.register(User)
class UserAdmin(RbacAdminMixin, DjangoUserAdmin):
    """The application's users (an operator's superuser account is out of the admin role's reach: its change,
    password and delete pages are not found for it)."""

    rbac_resource = "user"
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "last_login", "date_joined"]
    list_filter = ["role", "is_active", "last_login", "date_joined"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        ("Accès", {"fields": ["role", "is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "first_name", "last_name", "password1", "password2"]}),
    ]

    def get_queryset(self, request):
        # An operator manages every account; the others, the application's users only.
        return super().get_queryset(request) if request.user.is_superuser else selectors.user_list()

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.user_is_last_active_admin(user=obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """Each admin may be deletable alone, but not all the remaining active admins at once."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        active_admins = set(User.objects.filter(role=Role.ADMIN, is_active=True).values_list("pk", flat=True))
        if active_admins and active_admins <= {user.pk for user in objs}:
            perms_needed.add(User._meta.verbose_name)
        return to_delete, model_count, perms_needed, protected

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or nothing, should the last admin be among them after all
            for user in queryset:
                services.user_delete(user=user)


@admin.register(LoginFailure)
class LoginFailureAdmin(RbacAdminMixin, admin.ModelAdmin):
    rbac_resource = "user"
    list_display = ["email", "ip_address", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["email", "ip_address"]
    readonly_fields = ["email", "ip_address", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
