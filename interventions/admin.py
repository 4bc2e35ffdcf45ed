"""Back office for work orders and plans. Status changes go through the workflow services only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from erp_mif.admin import RbacModelAdmin, ServiceRefusalsAsMessagesMixin
from erp_mif.core.errors import ApplicationError

from . import services
from .models import Intervention, InterventionEvent, MaintenancePlan


class InterventionEventInline(admin.TabularInline):
    model = InterventionEvent
    extra = 0
    can_delete = False
    fields = ["at", "user", "action", "changes"]
    readonly_fields = fields
    ordering = ["at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _run_on_each(modeladmin, request, queryset, service, **kwargs):
    """Apply a workflow service to each selected intervention; refusals are reported, not raised."""
    done = 0
    for intervention in queryset:
        try:
            service(intervention=intervention, by=request.user, **kwargs)
            done += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{intervention.reference}: {exc.detail}", messages.WARNING)
    if done:
        modeladmin.message_user(request, _("%(count)d intervention(s) updated.") % {"count": done}, messages.SUCCESS)


@admin.action(description=_("Start the selected interventions"))
def start_interventions(modeladmin, request, queryset):
    _run_on_each(modeladmin, request, queryset, services.intervention_start)


@admin.action(description=_("Resume the selected interventions"))
def resume_interventions(modeladmin, request, queryset):
    _run_on_each(modeladmin, request, queryset, services.intervention_resume)


@admin.action(description=_("Cancel the selected interventions"))
def cancel_interventions(modeladmin, request, queryset):
    _run_on_each(
        modeladmin, request, queryset, services.intervention_cancel, reason=_("Cancelled from the back office")
    )


@admin.register(Intervention)
class InterventionAdmin(ServiceRefusalsAsMessagesMixin, RbacModelAdmin):
    rbac_resource = "intervention"
    list_display = ["reference", "title", "client", "status", "priority", "type", "scheduled_start", "due_date"]
    list_filter = ["status", "priority", "type", "client__city"]
    list_select_related = ["client"]
    search_fields = ["reference", "title", "client__name", "equipment__serial_number"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["client", "site", "equipment", "technicians"]
    readonly_fields = services.SYSTEM_FIELDS
    fieldsets = [
        (None, {"fields": ["reference", "title", "description", "type", "priority", "status"]}),
        (_("Where"), {"fields": ["client", "site", "equipment"]}),
        (_("Planning"), {"fields": ["technicians", "scheduled_start", "scheduled_end", "due_date"]}),
        (
            _("Execution"),
            {"fields": ["started_at", "hold_reason", "completed_at", "report", "labor_minutes"]},
        ),
        (_("Cancellation"), {"fields": ["cancelled_at", "cancel_reason"]}),
        (_("Record"), {"fields": ["maintenance_plan", "created_by", "created_at", "updated_at"]}),
    ]
    inlines = [InterventionEventInline]
    actions = [start_interventions, resume_interventions, cancel_interventions]

    def save_model(self, request, obj, form, change):
        """Creates and edits go through the same services as the API (rules, history, notifications)."""
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            services.intervention_update(
                intervention=obj, by=request.user, technicians=form.cleaned_data.get("technicians"), **fields
            )
        else:
            client = fields.pop("client")
            created = services.intervention_create(
                by=request.user, client=client, technicians=form.cleaned_data.get("technicians") or [], **fields
            )
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        # The service already set the technicians; let Django save the inlines only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.intervention_delete(intervention=obj)

    def delete_queryset(self, request, queryset):
        for intervention in queryset:
            services.intervention_delete(intervention=intervention)


@admin.register(MaintenancePlan)
class MaintenancePlanAdmin(ServiceRefusalsAsMessagesMixin, RbacModelAdmin):
    rbac_resource = "maintenance_plan"
    list_display = [
        "title",
        "equipment",
        "interval_value",
        "interval_unit",
        "next_due_date",
        "default_technician",
        "is_active",
    ]
    list_filter = ["is_active", "interval_unit", "priority"]
    list_select_related = ["equipment", "default_technician__user"]
    search_fields = ["title", "equipment__serial_number", "equipment__name"]
    autocomplete_fields = ["equipment", "default_technician"]
    readonly_fields = ["last_generated_at", "created_at", "updated_at"]
    date_hierarchy = "next_due_date"

    def save_model(self, request, obj, form, change):
        """Through the services, like the API: the same checks, and the day of month the plan keeps."""
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            services.maintenance_plan_update(plan=obj, **fields)
        else:
            obj.pk = services.maintenance_plan_create(**form.cleaned_data).pk
