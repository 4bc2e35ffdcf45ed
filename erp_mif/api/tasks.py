"""The daily housekeeping job (see erp_mif/schedules.py): purge what has outlived its use."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_q.models import Task
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from erp_mif.accounts.models import LoginFailure
from notifications.models import Notification

from .models import IdempotencyRecord

FINISHED_TASKS_KEPT = timedelta(days=30)
READ_NOTIFICATIONS_KEPT = timedelta(days=180)
LOGIN_FAILURES_KEPT = timedelta(days=1)  # far past the lockout window: kept a day for whoever investigates


def housekeeping() -> dict:
    """Expired refresh tokens, idempotency records past 24 h, old login failures, finished task
    records older than 30 days, read notifications older than 180 days. Running it twice is harmless."""
    now = timezone.now()
    purges = {
        # Deleting an outstanding token deletes its blacklist entry with it (both are past use).
        "refresh_tokens": OutstandingToken.objects.filter(expires_at__lt=now),
        "idempotency_records": IdempotencyRecord.objects.filter(created_at__lt=now - settings.IDEMPOTENCY_TTL),
        "login_failures": LoginFailure.objects.filter(created_at__lt=now - LOGIN_FAILURES_KEPT),
        "task_records": Task.objects.filter(stopped__lt=now - FINISHED_TASKS_KEPT),
        "read_notifications": Notification.objects.filter(is_read=True, created_at__lt=now - READ_NOTIFICATIONS_KEPT),
    }
    return {name: _delete(queryset) for name, queryset in purges.items()}


def _delete(queryset) -> int:
    """Rows of the queryset's own model deleted (cascaded rows are not counted)."""
    _, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)
