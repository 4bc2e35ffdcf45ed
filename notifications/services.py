"""The notification centre: in-app notifications, the emails that echo them, and the email outbox.

A leaf: it knows users (settings.AUTH_USER_MODEL) and nothing of the business. The app that has
something to say writes the words (e.g. `interventions/notifications.py`) and calls `notify` inside
the transaction of the change it announces. Each new notification gets an outbox email in that same
transaction, and the sending is queued after commit (see tasks.py): work that rolls back sends
nothing, and an SMTP outage loses nothing. `email_enqueue` puts any other email (a password reset)
through the same outbox.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings

# Users as any AUTH_USER_MODEL: an email, is_active and get_full_name() are all this app reads of them.
from django.contrib.auth.base_user import AbstractBaseUser as User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator

from . import tasks
from .choices import OutboxStatus
from .models import Notification, OutboxEmail

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length


def in_business_language(notice: Callable[..., list[Notification]]) -> Callable[..., list[Notification]]:
    """For the functions that word notices: stored text is read later by anyone, so it is written in the
    business language (settings.LANGUAGE_CODE), not in the language of the request that caused it."""

    @wraps(notice)
    def worded_in_the_business_language(**kwargs) -> list[Notification]:
        with translation.override(settings.LANGUAGE_CODE):
            return notice(**kwargs)

    return worded_in_the_business_language


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    message: str,
    data: dict,
    dedup_key: str = "",
    link: str = "",
) -> list[Notification]:
    """Notify the active `recipients` in the app and by email; return the notifications created.

    With a `dedup_key`, a recipient who already has a notification with that key gets nothing new, even
    when two calls race. `link` is a frontend path (/interventions/12) for the email's button.
    """
    title = Truncator(title).chars(TITLE_MAX_LENGTH)  # a long equipment or intervention name must not fail a job
    rows = [
        Notification(user=user, kind=kind, title=title, message=message, data=data, dedup_key=dedup_key)
        for user in _active_once_each(recipients)
    ]
    created = _insert(rows, dedup_key)
    emails = OutboxEmail.objects.bulk_create(_email_for(notification, link) for notification in created)
    _send_after_commit([email.pk for email in emails])
    return created


def _active_once_each(users: Iterable[User]) -> list[User]:
    return list({user.pk: user for user in users if user.is_active}.values())


def _insert(rows: list[Notification], dedup_key: str) -> list[Notification]:
    if not dedup_key:
        return Notification.objects.bulk_create(rows)
    already = set(
        Notification.objects.filter(dedup_key=dedup_key, user__in=[row.user for row in rows]).values_list(
            "user_id", flat=True
        )
    )
    return [row for row in rows if row.user_id not in already and _insert_unless_taken(row)]


def _insert_unless_taken(row: Notification) -> bool:
    """Insert `row` in a savepoint; False when a concurrent call took its (user, dedup_key) first.

    The database's unique constraint is the judge: a check-then-insert alone would let two runs of
    a job both pass the check.
    """
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def _email_for(notification: Notification, link: str) -> OutboxEmail:
    user = notification.user
    context = {
        "name": user.get_full_name() or user.email,
        "title": notification.title,
        "message": notification.message,
        "url": f"{settings.FRONTEND_URL}{link}",
    }
    with translation.override(settings.LANGUAGE_CODE):
        return OutboxEmail(
            notification=notification,
            recipient=user.email,
            subject=notification.title,
            body_text=render_to_string("notifications/email.txt", context),
            body_html=render_to_string("notifications/email.html", context),
        )


def email_enqueue(*, recipient: str, subject: str, body_text: str, body_html: str = "") -> OutboxEmail:
    """Queue one email through the outbox: sent by the worker after commit, retried until SMTP takes it."""
    email = OutboxEmail.objects.create(recipient=recipient, subject=subject, body_text=body_text, body_html=body_html)
    _send_after_commit([email.pk])
    return email


def _send_after_commit(outbox_ids: list[int]) -> None:
    if outbox_ids:
        transaction.on_commit(lambda: tasks.queue_sending(outbox_ids))


# ------------------------------------------------------------------------------
# In-app actions
# ------------------------------------------------------------------------------
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark read; reading it again keeps the first read_at."""
    Notification.objects.filter(pk=notification.pk, is_read=False).update(is_read=True, read_at=timezone.now())
    notification.refresh_from_db(fields=["is_read", "read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` read; return how many changed."""
    return Notification.objects.filter(user=user, is_read=False).update(is_read=True, read_at=timezone.now())


@transaction.atomic
def outbox_emails_retry(*, emails: QuerySet[OutboxEmail]) -> int:
    """Give the failed ones among `emails` a new series of attempts, sent after commit; return how many."""
    failed = list(emails.filter(status=OutboxStatus.FAILED).values_list("pk", flat=True))
    OutboxEmail.objects.filter(pk__in=failed).update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None)
    _send_after_commit(failed)
    return len(failed)
