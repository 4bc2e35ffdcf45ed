"""Health probes: readiness (dependencies checked, 503 when one fails) and liveness (nothing checked)."""

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response

from .views import ApiView

logger = logging.getLogger(__name__)

OK, ERROR = "ok", "error"


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


CHECKS = {"database": check_database, "storage": check_storage}


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
        healthy = all(result == OK for result in checks.values())
        return Response({"status": OK if healthy else ERROR, "checks": checks}, status=200 if healthy else 503)


class LivenessView(ApiView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(auth=[], responses={200: inline_serializer("Liveness", {"status": serializers.CharField()})})
    def get(self, request):
        return Response({"status": OK})
