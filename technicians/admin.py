from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from erp_mif.admin import RbacModelAdmin

from . import services
from .models import Skill, Technician


class TechnicianCreationForm(forms.ModelForm):
    """The add form: the technician's user is made with him, by `technician_create`, not picked from a list."""

    email = forms.EmailField()
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    phone = forms.CharField(max_length=32, required=False)
    is_active = forms.BooleanField(required=False, initial=True)

    class Meta:
        model = Technician
        fields = ["employee_code", "zone", "skills"]

    def clean_email(self):
        # The user model's field cleans it as every other path does: normalised, ASCII, not too long.
        email = User._meta.get_field("email").clean(self.cleaned_data["email"], None)
        try:
            # The user model's own unique rule, checked now so that a taken email is a form error.
            User(email=email).validate_unique()
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["email"]) from exc
        return email

    def save(self, commit=True):
        data = self.cleaned_data
        self.instance = services.technician_create(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            employee_code=data["employee_code"],
            zone=data["zone"],
            skills=[skill.name for skill in data["skills"]],
            is_active=data["is_active"],
        )
        # The service stored the skills already: nothing is left for the admin's save_related.
        self.save_m2m = lambda: None
        return self.instance


@admin.register(Skill)
class SkillAdmin(RbacModelAdmin):
    rbac_resource = "technician"
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Technician)
class TechnicianAdmin(RbacModelAdmin):
    rbac_resource = "technician"
    list_display = ["full_name", "email", "employee_code", "zone", "is_active", "skill_names"]
    list_filter = ["zone", "skills", "user__is_active"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "employee_code", "zone"]
    list_select_related = ["user"]
    autocomplete_fields = ["user", "skills"]
    readonly_fields = ["created_at", "updated_at"]
    add_form = TechnicianCreationForm

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("skills")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting goes one technician at a time through the service (see delete_model), never in bulk.
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.interventions.exists():
            return False  # technician_delete refuses him: deactivate his account instead
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.technician_delete(technician=obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Only a technician account may carry the profile (e.g. a former technician coming back).
            kwargs["queryset"] = User.objects.filter(role=Role.TECHNICIAN)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, technician: Technician) -> str:
        return technician.user.full_name

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, technician: Technician) -> str:
        return technician.user.email

    @admin.display(description=_("active"), boolean=True, ordering="user__is_active")
    def is_active(self, technician: Technician) -> bool:
        return technician.user.is_active

    @admin.display(description=_("skills"))
    def skill_names(self, technician: Technician) -> str:
        return ", ".join(skill.name for skill in technician.skills.all())
