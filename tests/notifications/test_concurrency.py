"""Races that only a real database shows: run on PostgreSQL (skipped on SQLite, which serialises writers)."""

import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from notifications import services
from notifications.choices import NotificationKind, OutboxStatus
from notifications.models import Notification, OutboxEmail
from notifications.tasks import send_outbox_email
from tests.accounts.factories import UserFactory
from tests.notifications.factories import OutboxEmailFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _in_threads(*jobs):
    """Run each job in a thread with its own connection; return their outcomes (a result or an exception)."""
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            outcomes[index] = job()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_runs_of_a_job_racing_notify_each_recipient_once(monkeypatch):
    user = UserFactory()
    # Both runs pass the "already notified?" read before either inserts: the constraint must decide.
    both_checked = threading.Barrier(2, timeout=10)
    insert = services._insert_unless_taken

    def insert_once_both_checked(row):
        both_checked.wait()
        return insert(row)

    monkeypatch.setattr(services, "_insert_unless_taken", insert_once_both_checked)

    def run_job():
        return services.notify(
            recipients=[user],
            kind=NotificationKind.INTERVENTION_REMINDER,
            title="Demain : INT-2026-00001",
            message="Révision prévue demain à 09:00.",
            data={"intervention": 1},
            dedup_key="reminder:1:2026-12-01",
        )

    outcomes = _in_threads(run_job, run_job)

    assert sorted(len(outcome) for outcome in outcomes) == [0, 1], outcomes
    assert Notification.objects.filter(user=user).count() == 1
    assert OutboxEmail.objects.count() == 1
    assert len(mail.outbox) == 1


class HoldingBackend(EmailBackend):
    """Delivers (in memory) only once the other worker has had its go at the same email."""

    sending = threading.Event()
    other_worker_done = threading.Event()

    def send_messages(self, messages):
        HoldingBackend.sending.set()
        assert HoldingBackend.other_worker_done.wait(timeout=10)
        return super().send_messages(messages)


def test_two_workers_never_send_the_same_email(settings):
    settings.EMAIL_BACKEND = f"{__name__}.HoldingBackend"
    HoldingBackend.sending.clear()
    HoldingBackend.other_worker_done.clear()
    email = OutboxEmailFactory()
    mail.outbox = []

    def first_worker():
        return send_outbox_email(email.pk)

    def second_worker():
        assert HoldingBackend.sending.wait(timeout=10)
        try:
            return send_outbox_email(email.pk)
        finally:
            HoldingBackend.other_worker_done.set()

    outcomes = _in_threads(first_worker, second_worker)

    assert outcomes == [{"sent": 1}, {"skipped": 1}]
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
