"""Sending the outbox: one django-q2 task per email right after commit, and a sweep for whatever they missed.

Delivery is at least once: an email stays pending until SMTP has accepted it, and a row lock keeps two
workers from sending the same email. A failed attempt re-raises so that django-q2 tries the task again
(its `retry` comes after its `timeout`); past `EMAIL_OUTBOX_MAX_ATTEMPTS` the email is marked failed.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django_q.signals import post_execute_in_worker, pre_execute
from django_q.tasks import async_task

from erp_mif.core.jobs import MINUTES, job, purge

from .choices import OutboxStatus
from .models import Notification, OutboxEmail

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.send_outbox_email"
SENT, SKIPPED, FAILED = "sent", "skipped", "failed"
READ_NOTIFICATIONS_KEPT = timedelta(days=180)

# The id of the django-q2 task being run, for the log lines (django-q2 does not hand it to the function).
_task_id: ContextVar[str | None] = ContextVar("django_q_task_id", default=None)


@receiver(pre_execute, dispatch_uid="notifications.tasks.task_started")
def _remember_task_id(sender, task, **kwargs) -> None:
    _task_id.set(task.get("id"))


@receiver(post_execute_in_worker, dispatch_uid="notifications.tasks.task_finished")
def _forget_task_id(sender, task, **kwargs) -> None:
    _task_id.set(None)


def queue_sending(outbox_ids: Iterable[int]) -> None:
    """Queue one sending task per email.

    A broker that refuses the task (or, with django-q2 in sync mode, an SMTP failure) is logged and
    swallowed: the email stays pending for `flush_outbox`, and the caller's committed work stands.
    """
    for outbox_id in outbox_ids:
        try:
            async_task(SEND_TASK, outbox_id, task_name=f"outbox-email-{outbox_id}")
        except Exception:
            logger.warning("outbox email %s left for the sweep", outbox_id, extra={"outbox": outbox_id}, exc_info=True)


def send_outbox_email(outbox_id: int) -> dict[str, int]:
    """Send one pending email; an email already sent, given up or being sent by another worker is skipped."""
    outcome, error = _deliver(outbox_id)
    if error is not None:
        raise error  # django-q2 records the failure and runs the task again after its `retry` delay
    return {outcome: 1}


# The sweep that sends what the per-email tasks could not (worker restarted, SMTP down).
@job("outbox", MINUTES, minutes=5)
def flush_outbox() -> dict[str, int]:
    """Send every pending email still under the attempt cap, oldest first; a failure does not stop the sweep."""
    counts = Counter({SENT: 0, SKIPPED: 0, FAILED: 0})
    due = _due(OutboxEmail.objects.filter(attempts__lt=settings.EMAIL_OUTBOX_MAX_ATTEMPTS)).order_by("created_at", "id")
    for outbox_id in due.values_list("pk", flat=True):
        outcome, _error = _deliver(outbox_id)
        counts[outcome] += 1
    return dict(counts)


def _deliver(outbox_id: int) -> tuple[str, Exception | None]:
    """(SENT, None), (SKIPPED, None) or (FAILED, the error) once the failed attempt is recorded and logged."""
    with transaction.atomic():
        email = _lock_pending(outbox_id)
        if email is None:
            return SKIPPED, None
        try:
            _send(email)
        except Exception as exc:  # SMTP fails in many ways: SMTPException, OSError, ssl errors, timeouts
            email.mark_attempt_failed(exc)
            error = exc
        else:
            email.mark_sent()
            return SENT, None
    logger.warning(
        "outbox email %s not sent (attempt %s): %s",
        outbox_id,
        email.attempts,
        email.last_error,
        extra={"outbox": outbox_id, "task_id": _task_id.get(), "attempts": email.attempts, "status": email.status},
    )
    return FAILED, error


def _due(emails):
    """The pending ones whose wait after a failure (if any) is over."""
    return emails.filter(status=OutboxStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    )


def _lock_pending(outbox_id: int) -> OutboxEmail | None:
    """The email, locked until commit, if it is due and no other worker holds it.

    An email waiting after a failure is skipped: django-q2's own retries then end quietly, and the
    sweep sends it when its wait is over.
    """
    return _due(OutboxEmail.objects.select_for_update(skip_locked=True).filter(pk=outbox_id)).first()


def _send(email: OutboxEmail) -> None:
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body_text, to=[email.recipient], connection=connection
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.send()


@purge("read_notifications")
def read_notifications_old(now) -> QuerySet:
    return Notification.objects.filter(is_read=True, created_at__lt=now - READ_NOTIFICATIONS_KEPT)
