"""What the accounts app purges in the daily housekeeping job (erp_mif.core.tasks)."""

from datetime import timedelta

from django.db.models import QuerySet
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from erp_mif.core.jobs import purge

from .models import LoginFailure

LOGIN_FAILURES_KEPT = timedelta(days=1)  # far past the lockout window: kept a day for whoever investigates


@purge("refresh_tokens")
def refresh_tokens_expired(now) -> QuerySet:
    # Deleting an outstanding token deletes its blacklist entry with it (both are past use).
    return OutstandingToken.objects.filter(expires_at__lt=now)


@purge("login_failures")
def login_failures_old(now) -> QuerySet:
    return LoginFailure.objects.filter(created_at__lt=now - LOGIN_FAILURES_KEPT)
