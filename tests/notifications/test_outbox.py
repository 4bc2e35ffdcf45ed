"""Sending the outbox: one task per email, the periodic sweep, attempts and the cap, never twice."""

import logging
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.choices import OutboxStatus
from notifications.models import OutboxEmail
from notifications.tasks import flush_outbox, send_outbox_email
from tests.notifications.factories import OutboxEmailFactory

pytestmark = pytest.mark.django_db


def test_the_task_sends_a_pending_email_once(mailoutbox):
    email = OutboxEmailFactory(recipient="karim@mif.ma", subject="Intervention terminée : INT-2026-00007")

    assert send_outbox_email(email.pk) == {"sent": 1}
    assert send_outbox_email(email.pk) == {"skipped": 1}

    [sent] = mailoutbox
    assert (sent.to, sent.subject) == (["karim@mif.ma"], "Intervention terminée : INT-2026-00007")
    assert sent.body == email.body_text
    assert sent.alternatives == [(email.body_html, "text/html")]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxStatus.SENT, 1, "")
    assert email.sent_at is not None


def test_a_failed_attempt_is_recorded_logged_and_raised_for_the_task_to_be_retried(smtp, caplog):
    email = OutboxEmailFactory()
    smtp.down()

    with caplog.at_level(logging.WARNING, logger="notifications.tasks"), pytest.raises(smtplib.SMTPServerDisconnected):
        send_outbox_email(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.PENDING, 1)
    assert email.last_error.startswith("SMTPServerDisconnected: Connection unexpectedly closed")
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.outbox == email.pk


def test_past_the_attempt_cap_the_email_is_given_up(smtp, settings, mailoutbox):
    settings.EMAIL_OUTBOX_MAX_ATTEMPTS = 2
    email = OutboxEmailFactory()
    smtp.down()

    for hours_later in range(2):  # each attempt after the previous one's wait
        with (
            time_machine.travel(timezone.now() + timedelta(hours=hours_later)),
            pytest.raises(smtplib.SMTPServerDisconnected),
        ):
            send_outbox_email(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, 2)
    smtp.up()
    assert send_outbox_email(email.pk) == {"skipped": 1}
    assert flush_outbox() == {"sent": 0, "skipped": 0, "failed": 0}
    assert mailoutbox == []


def test_the_sweep_sends_every_pending_email_and_nothing_twice(settings, mailoutbox):
    pending = OutboxEmailFactory.create_batch(3)
    OutboxEmailFactory(status=OutboxStatus.SENT, attempts=1)
    OutboxEmailFactory(status=OutboxStatus.FAILED, attempts=settings.EMAIL_OUTBOX_MAX_ATTEMPTS)

    assert flush_outbox() == {"sent": 3, "skipped": 0, "failed": 0}
    assert flush_outbox() == {"sent": 0, "skipped": 0, "failed": 0}

    assert sorted(email.to[0] for email in mailoutbox) == sorted(email.recipient for email in pending)
    assert OutboxEmail.objects.filter(status=OutboxStatus.SENT).count() == 4


def test_a_failure_does_not_stop_the_sweep(smtp):
    OutboxEmailFactory.create_batch(2)
    smtp.down()

    assert flush_outbox() == {"sent": 0, "skipped": 0, "failed": 2}

    assert [email.attempts for email in OutboxEmail.objects.order_by("pk")] == [1, 1]
    assert all(email.status == OutboxStatus.PENDING for email in OutboxEmail.objects.all())


def test_after_a_failure_the_email_waits_longer_each_time(smtp, mailoutbox):
    email = OutboxEmailFactory()
    smtp.down()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        assert flush_outbox()["failed"] == 1
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert send_outbox_email(email.pk) == {"skipped": 1}  # django-q2's early retry ends quietly
        assert flush_outbox() == {"sent": 0, "skipped": 0, "failed": 0}
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert flush_outbox()["failed"] == 1  # second attempt: the next wait is 10 minutes
    smtp.up()
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert flush_outbox()["sent"] == 0
    with time_machine.travel(start + timedelta(minutes=17), tick=False):
        assert flush_outbox()["sent"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 3)
    assert len(mailoutbox) == 1
