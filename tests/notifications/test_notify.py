"""`notify`: in-app notifications for the active recipients, each echoed by an email sent after commit."""

import pytest

from notifications.choices import NotificationKind, OutboxStatus
from notifications.models import Notification, OutboxEmail
from notifications.services import notify
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify_assignment(recipients, **overrides):
    arguments = {
        "recipients": recipients,
        "kind": NotificationKind.INTERVENTION_ASSIGNED,
        "title": "Intervention assignée : INT-2026-00042",
        "message": "Vous êtes affecté(e) à l'intervention INT-2026-00042 — Climatiseur en panne.",
        "data": {"intervention": 42},
        "link": "/interventions/42",
        **overrides,
    }
    return notify(**arguments)


def test_notify_writes_the_notification_and_emails_it_in_french(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(first_name="Salma", last_name="Bennani", email="salma@mif.ma")

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_assignment([user])

    assert len(created) == 1
    notification = Notification.objects.get()
    assert created[0].pk == notification.pk
    assert (notification.user, notification.kind) == (user, "intervention_assigned")
    assert notification.data == {"intervention": 42}
    assert notification.title == "Intervention assignée : INT-2026-00042"
    assert notification.is_read is False
    assert notification.read_at is None

    [email] = mailoutbox
    assert email.to == ["salma@mif.ma"]
    assert email.subject == "Intervention assignée : INT-2026-00042"
    assert "Bonjour Salma Bennani," in email.body
    assert "Climatiseur en panne" in email.body
    assert "https://app.mif.ma/interventions/42" in email.body
    assert "envoyé automatiquement par MIF Maroc" in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "Bonjour Salma Bennani," in html
    assert 'href="https://app.mif.ma/interventions/42"' in html
    assert "Ouvrir dans MIF Maroc" in html

    outbox = OutboxEmail.objects.get()
    assert (outbox.notification, outbox.status, outbox.attempts) == (notification, OutboxStatus.SENT, 1)
    assert outbox.sent_at is not None


def test_the_email_leaves_only_once_the_transaction_commits(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_assignment([user])

    assert mailoutbox == []
    assert OutboxEmail.objects.get().status == OutboxStatus.PENDING
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    assert OutboxEmail.objects.get().status == OutboxStatus.SENT


def test_the_html_email_escapes_names_and_messages(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(first_name="<b>Omar</b>", last_name="& Fils")

    with django_capture_on_commit_callbacks(execute=True):
        notify_assignment([user], message="Pièce <script>x</script> à changer")

    [email] = mailoutbox
    html = email.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;b&gt;Omar&lt;/b&gt; &amp; Fils" in html
    # The plain text is not HTML: it shows the characters as they are.
    assert "Bonjour <b>Omar</b> & Fils," in email.body


def test_a_dedup_key_notifies_each_recipient_once(django_capture_on_commit_callbacks, mailoutbox):
    first, second, newcomer = UserFactory.create_batch(3)

    with django_capture_on_commit_callbacks(execute=True):
        assert len(notify_assignment([first, second], dedup_key="reminder:42:2026-12-01")) == 2
        again = notify_assignment([first, second, newcomer], dedup_key="reminder:42:2026-12-01")

    assert [notification.user for notification in again] == [newcomer]
    assert Notification.objects.count() == 3
    assert OutboxEmail.objects.count() == 3
    assert sorted(email.to[0] for email in mailoutbox) == sorted(user.email for user in (first, second, newcomer))


def test_another_dedup_key_or_none_notifies_again(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notify_assignment([user], dedup_key="overdue:42:2026-12-01")
        notify_assignment([user], dedup_key="overdue:42:2026-12-08")
        notify_assignment([user])
        notify_assignment([user])

    assert Notification.objects.filter(user=user).count() == 4


def test_inactive_recipients_are_skipped_and_each_recipient_counts_once(django_capture_on_commit_callbacks, mailoutbox):
    active = UserFactory()
    inactive = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_assignment([active, inactive, active])

    assert [notification.user for notification in created] == [active]
    assert not Notification.objects.filter(user=inactive).exists()
    assert [email.to for email in mailoutbox] == [[active.email]]


def test_no_active_recipient_means_nothing_to_write_or_send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = notify_assignment([UserFactory(is_active=False)])

    assert created == []
    assert callbacks == []
    assert not OutboxEmail.objects.exists()


def test_smtp_down_never_fails_the_caller_and_every_email_waits_for_the_sweep(
    smtp, django_capture_on_commit_callbacks, mailoutbox
):
    first, second = UserFactory.create_batch(2)
    smtp.down()

    # As a scheduled job calls it: the notifications stand even though no email could leave.
    with django_capture_on_commit_callbacks(execute=True):
        created = notify_assignment([first, second], dedup_key="overdue:42:2026-12-01")

    assert len(created) == 2
    assert mailoutbox == []
    emails = OutboxEmail.objects.all()
    assert [(email.status, email.attempts) for email in emails] == [(OutboxStatus.PENDING, 1)] * 2
    assert all("SMTPServerDisconnected" in email.last_error for email in emails)
