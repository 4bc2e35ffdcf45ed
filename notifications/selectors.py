"""Reads of the notification centre."""

from django.contrib.auth.base_user import AbstractBaseUser as User
from django.db.models import QuerySet

from .models import Notification


def notification_list() -> QuerySet[Notification]:
    """Newest first; the API narrows it to the caller's own (erp_mif.rbac.SCOPES)."""
    return Notification.objects.order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, is_read=False).count()
