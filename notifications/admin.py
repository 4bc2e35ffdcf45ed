"""Back office of the notification centre, for admins only (the `user` resource of erp_mif.rbac).

Notifications and emails are written by the services alone: the back office looks at them, and can
put failed emails back in the queue.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from erp_mif.admin import RbacModelAdmin

from . import services
from .models import Notification, OutboxEmail


class WrittenByServicesAdmin(RbacModelAdmin):
    rbac_resource = "user"
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(WrittenByServicesAdmin):
    list_display = ["user", "kind", "title", "is_read", "created_at"]
    list_filter = ["kind", "is_read"]
    list_select_related = ["user"]
    search_fields = ["title", "user__email"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(WrittenByServicesAdmin):
    list_display = ["recipient", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "subject"]
    actions = ["retry_sending"]

    @admin.action(description=_("Retry sending the failed emails"))
    def retry_sending(self, request, queryset):
        count = services.outbox_emails_retry(emails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )
