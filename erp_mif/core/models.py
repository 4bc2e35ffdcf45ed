from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class IdempotencyRecord(models.Model):
    """The first successful answer to a POST sent with an Idempotency-Key, replayed for 24 h.

    Kept in the database (not a cache) so the guarantee holds across workers; the unique
    constraint makes a concurrent duplicate wait for the first request's transaction.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    response_etag = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class ReferenceCounter(models.Model):
    """The last number handed out for one reference series (e.g. "client", "intervention-2026")."""

    name = models.CharField(max_length=50, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class JobRun(models.Model):
    """The last outcome of one scheduled job, for `GET /health/` (scheduler: ok|stale) and for ops."""

    name = models.CharField(max_length=50, unique=True)
    # Set when a run starts: a run that started and never ended was killed (timeout, worker restart).
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_result = models.JSONField(default=dict, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name

    def died_running(self, *, now, timeout) -> bool:
        """Started longer ago than a run may take, and neither succeeded nor failed since."""
        if self.last_started_at is None or self.last_started_at > now - timeout:
            return False
        ends = [moment for moment in (self.last_success_at, self.last_failure_at) if moment is not None]
        return not ends or max(ends) < self.last_started_at
