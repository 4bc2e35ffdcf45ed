"""The back office of notifications and outbox emails: admins only, read-only, failed emails can be retried."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from erp_mif.accounts.choices import Role
from notifications.choices import OutboxStatus
from tests.accounts.factories import UserFactory
from tests.notifications.factories import NotificationFactory, OutboxEmailFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("admin:notifications_notification_changelist")
EMAILS = reverse("admin:notifications_outboxemail_changelist")


def back_office(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role))
    return client


def test_admins_search_notifications_by_title_or_email():
    NotificationFactory(title="Intervention terminée : INT-2026-00099", user__email="nadia@mif.ma")
    NotificationFactory(title="Garantie : Chiller 2")
    admin = back_office(Role.ADMIN)

    by_title = admin.get(NOTIFICATIONS, {"q": "INT-2026-00099"})
    by_email = admin.get(NOTIFICATIONS, {"q": "nadia@"})

    assert by_title.status_code == 200
    assert b"INT-2026-00099" in by_title.content
    assert b"Chiller 2" not in by_title.content
    assert b"INT-2026-00099" in by_email.content


def test_notifications_and_emails_are_read_only_in_the_back_office():
    notification = NotificationFactory()
    email = OutboxEmailFactory()
    admin = back_office(Role.ADMIN)

    assert admin.get(reverse("admin:notifications_notification_add")).status_code == 403
    assert admin.get(reverse("admin:notifications_outboxemail_add")).status_code == 403
    page = admin.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    assert page.status_code == 200
    assert b'name="title"' not in page.content  # shown, not editable
    assert admin.get(reverse("admin:notifications_notification_delete", args=[notification.pk])).status_code == 403
    assert admin.get(reverse("admin:notifications_outboxemail_change", args=[email.pk])).status_code == 200


def test_managers_do_not_see_them():
    manager = back_office(Role.MANAGER)

    assert manager.get(NOTIFICATIONS).status_code == 403
    assert manager.get(EMAILS).status_code == 403


def test_retry_sending_puts_failed_emails_back_and_sends_them(settings, django_capture_on_commit_callbacks, mailoutbox):
    failed = OutboxEmailFactory(status=OutboxStatus.FAILED, attempts=settings.EMAIL_OUTBOX_MAX_ATTEMPTS)
    sent = OutboxEmailFactory(status=OutboxStatus.SENT, attempts=1)
    admin = back_office(Role.ADMIN)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            EMAILS, {"action": "retry_sending", ACTION_CHECKBOX_NAME: [failed.pk, sent.pk]}, follow=True
        )

    assert response.status_code == 200
    assert "1 email remis dans la file d&#x27;envoi." in response.content.decode()
    assert [email.to for email in mailoutbox] == [[failed.recipient]]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.SENT, 1)
    sent.refresh_from_db()
    assert sent.attempts == 1
