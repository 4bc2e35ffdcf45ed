from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind, OutboxStatus


class Notification(models.Model):
    """One message in a user's notification centre; `data` names the records it is about ({"intervention": 12}).

    A non-blank `dedup_key` is unique per user: a job that runs twice ("once" in the contract) creates
    nothing the second time, even when two runs overlap.
    """

    # Not indexed alone: the composite indexes below start with the user and serve every lookup by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    data = models.JSONField(_("data"), default=dict, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedup_key"], condition=~Q(dedup_key=""), name="notification_once_per_dedup_key"
            ),
        ]
        indexes = [
            # The list, newest first, and the same list filtered by is_read (and the unread count).
            models.Index(fields=["user", "created_at"], name="notification_user_created"),
            models.Index(fields=["user", "is_read", "created_at"], name="notification_user_read_created"),
        ]

    def __str__(self) -> str:
        return self.title


RETRY_FIRST_WAIT = timedelta(minutes=5)
RETRY_LONGEST_WAIT = timedelta(hours=6)


class OutboxEmail(models.Model):
    """An email waiting to be sent, kept in the database so that no email is lost when a worker or SMTP is down.

    A task sends it right after commit; `notifications.tasks.flush_outbox` sends what is still pending.
    """

    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("notification"),
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # After a failure, not before: the wait doubles with each attempt (5 min, 10, 20... at most 6 h).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"

    def mark_sent(self) -> None:
        self.status, self.sent_at, self.last_error = OutboxStatus.SENT, timezone.now(), ""
        self.attempts += 1
        self.save(update_fields=["status", "sent_at", "last_error", "attempts"])

    def mark_attempt_failed(self, error: Exception) -> None:
        """Count the attempt; past the cap the email is given up (status failed) until someone retries it."""
        self.attempts += 1
        self.last_error = f"{type(error).__name__}: {error}"[:2000]
        self.next_attempt_at = timezone.now() + min(RETRY_FIRST_WAIT * 2 ** (self.attempts - 1), RETRY_LONGEST_WAIT)
        if self.attempts >= settings.EMAIL_OUTBOX_MAX_ATTEMPTS:
            self.status = OutboxStatus.FAILED
        self.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
