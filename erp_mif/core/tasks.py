"""The platform's scheduled jobs: the daily housekeeping, which runs every app's declared purges.

Each app declares what outlives its use next to its own jobs (`@purge(...)` in its tasks.py); the
platform purges its own records here.
"""

from datetime import time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_q.models import Task

from .jobs import DAILY, PURGES, job, purge
from .models import IdempotencyRecord

FINISHED_TASKS_KEPT = timedelta(days=30)


@job("housekeeping", DAILY, at=time(4, 0))
def housekeeping() -> dict:
    """Every declared purge, counted by name. Running it twice is harmless."""
    now = timezone.now()
    return {name: _delete(select(now)) for name, select in PURGES.items()}


@purge("idempotency_records")
def idempotency_records_expired(now) -> QuerySet:
    return IdempotencyRecord.objects.filter(created_at__lt=now - settings.IDEMPOTENCY_TTL)


@purge("task_records")
def task_records_finished_long_ago(now) -> QuerySet:
    return Task.objects.filter(stopped__lt=now - FINISHED_TASKS_KEPT)


def _delete(queryset: QuerySet) -> int:
    """Rows of the queryset's own model deleted (cascaded rows are not counted)."""
    _, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)
