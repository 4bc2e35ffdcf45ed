"""Health probes: readiness (dependencies checked, 503 when the database or storage fails) and liveness.

The scheduler is reported (ok or stale) but does not fail readiness: the API serves without it.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response

from erp_mif.core.jobs import JOBS
from erp_mif.core.models import JobRun

from .views import ApiView

logger = logging.getLogger(__name__)

OK, ERROR, STALE = "ok", "error", "stale"
# How late a due schedule may be before the worker counts as not running (its first tick takes ~30 s).
SCHEDULER_GRACE = timedelta(minutes=10)
# Past this, a started run that has not ended was killed: the worker's own timeout, with a margin.
JOB_TIMEOUT = timedelta(seconds=settings.Q_CLUSTER["timeout"]) + SCHEDULER_GRACE


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health: database unreachable")
        return ERROR
    return OK


def check_storage() -> str:
    """Write, read back and delete a small probe file through the configured storage."""
    name = f"health/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        try:
            with default_storage.open(saved) as probe:
                readable = probe.read() == b"ok"
        finally:
            default_storage.delete(saved)
    except Exception:
        logger.exception("health: storage unreachable")
        return ERROR
    return OK if readable else ERROR


def check_scheduler() -> str:
    """Stale when a job is not scheduled, a due run was not picked up, or a job's last run failed or died."""
    now = timezone.now()
    try:
        schedules = Schedule.objects.filter(name__in=JOBS)
        if schedules.count() < len(JOBS) or schedules.filter(next_run__lt=now - SCHEDULER_GRACE).exists():
            return STALE
        for run in JobRun.objects.filter(name__in=JOBS):
            failed = run.last_failure_at is not None and (
                run.last_success_at is None or run.last_failure_at > run.last_success_at
            )
            if failed or run.died_running(now=now, timeout=JOB_TIMEOUT):
                return STALE
    except Exception:
        logger.exception("health: scheduler state unreadable")
        return STALE
    return OK


CHECKS = {"database": check_database, "storage": check_storage, "scheduler": check_scheduler}
# The checks whose failure makes the service unready (503).
REQUIRED = ("database", "storage")


class HealthView(ApiView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        auth=[],
        responses={
            (200, "application/json"): inline_serializer(
                "Health", {"status": serializers.CharField(), "checks": serializers.DictField()}
            ),
            (503, "application/json"): inline_serializer(
                "HealthFailing", {"status": serializers.CharField(), "checks": serializers.DictField()}
            ),
        },
    )
    def get(self, request):
        checks = {name: check() for name, check in CHECKS.items()}
        healthy = all(checks[name] == OK for name in REQUIRED)
        return Response({"status": OK if healthy else ERROR, "checks": checks}, status=200 if healthy else 503)


class LivenessView(ApiView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(auth=[], responses={200: inline_serializer("Liveness", {"status": serializers.CharField()})})
    def get(self, request):
        return Response({"status": OK})
