"""The workflow's notices, end to end: intervention services → interventions/notifications.py → notifications
and emails."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from erp_mif.accounts.choices import Role
from erp_mif.core.errors import ApplicationError
from interventions import services
from notifications.choices import OutboxStatus
from notifications.models import Notification, OutboxEmail
from notifications.tasks import flush_outbox
from tests.accounts.factories import UserFactory
from tests.technicians.factories import TechnicianFactory

pytestmark = pytest.mark.django_db

ASSIGN = "/api/v1/interventions/{pk}/assign/"


def assign(intervention, by, technicians, window):
    return services.intervention_assign(
        intervention=intervention, by=by, technicians=technicians, scheduled_start=window[0], scheduled_end=window[1]
    )


def forget_setup_notices() -> None:
    """The notices the setup's own assignments wrote, so that each test sees only its action's."""
    OutboxEmail.objects.all().delete()
    Notification.objects.all().delete()


def kinds_by_user() -> dict:
    result = {}
    for user, kind in Notification.objects.order_by("id").values_list("user", "kind"):
        result.setdefault(user, []).append(kind)
    return result


def test_assigning_technicians_notifies_each_of_them_in_the_app_and_by_email(
    make_intervention, manager, window, django_capture_on_commit_callbacks, mailoutbox
):
    salma = TechnicianFactory(user__first_name="Salma", user__last_name="Bennani")
    omar = TechnicianFactory()
    intervention = make_intervention(title="Climatiseur en panne")

    with django_capture_on_commit_callbacks(execute=True):
        assign(intervention, manager, [salma, omar], window)

    assert kinds_by_user() == {salma.user.pk: ["intervention_assigned"], omar.user.pk: ["intervention_assigned"]}
    notification = Notification.objects.get(user=salma.user)
    assert notification.title == f"Intervention assignée : {intervention.reference}"
    assert notification.message == (
        f"Vous êtes affecté(e) à l'intervention {intervention.reference} — Climatiseur en panne."
    )
    assert notification.data == {"intervention": intervention.pk}
    [email] = [email for email in mailoutbox if email.to == [salma.user.email]]
    assert email.subject == notification.title
    assert "Bonjour Salma Bennani," in email.body
    assert f"https://app.mif.ma/interventions/{intervention.pk}" in email.body
    assert len(mailoutbox) == 2


def test_replacing_a_technician_tells_the_one_leaving_and_the_one_coming(
    make_intervention, manager, window, django_capture_on_commit_callbacks, mailoutbox
):
    leaving, coming = TechnicianFactory(), TechnicianFactory()
    intervention = make_intervention(status="scheduled", technicians=[leaving], title="Révision groupe froid")
    forget_setup_notices()

    with django_capture_on_commit_callbacks(execute=True):
        assign(intervention, manager, [coming], window)

    assert kinds_by_user() == {leaving.user.pk: ["intervention_unassigned"], coming.user.pk: ["intervention_assigned"]}
    unassigned = Notification.objects.get(user=leaving.user)
    assert unassigned.title == f"Intervention retirée : {intervention.reference}"
    assert "Vous n'êtes plus affecté(e)" in unassigned.message
    assert sorted(email.to[0] for email in mailoutbox) == sorted([leaving.user.email, coming.user.email])


def test_completing_tells_the_active_managers_and_admins_only(
    make_intervention, manager, django_capture_on_commit_callbacks, mailoutbox
):
    admin = UserFactory(role=Role.ADMIN)
    UserFactory(role=Role.MANAGER, is_active=False)
    UserFactory(role=Role.VIEWER)
    intervention = make_intervention(status="in_progress", title="Fuite hydraulique")
    forget_setup_notices()

    with django_capture_on_commit_callbacks(execute=True):
        services.intervention_complete(intervention=intervention, by=manager, report="Joint remplacé")

    assert kinds_by_user() == {manager.pk: ["intervention_completed"], admin.pk: ["intervention_completed"]}
    notification = Notification.objects.get(user=admin)
    assert notification.title == f"Intervention terminée : {intervention.reference}"
    assert notification.message == f"L'intervention {intervention.reference} — Fuite hydraulique est terminée."
    assert sorted(email.to[0] for email in mailoutbox) == sorted([manager.email, admin.email])


def test_notifications_are_written_in_french_whatever_the_callers_language(
    make_intervention, manager, django_capture_on_commit_callbacks
):
    intervention = make_intervention(status="in_progress", title="Compresseur")
    forget_setup_notices()

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.intervention_complete(intervention=intervention, by=manager, report="OK")

    assert Notification.objects.get().title == f"Intervention terminée : {intervention.reference}"
    assert OutboxEmail.objects.get().body_text.startswith("Bonjour ")


def test_a_refused_assignment_notifies_nobody(
    make_intervention, manager, technician, window, django_capture_on_commit_callbacks, mailoutbox
):
    make_intervention(status="scheduled", technicians=[technician], window=window)
    other = make_intervention()
    forget_setup_notices()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        assign(other, manager, [technician], window)

    assert not Notification.objects.exists()
    assert mailoutbox == []


# The requests below commit for real (transaction=True), so the hooks run inside the request as in production.
@pytest.mark.django_db(transaction=True)
def test_smtp_down_leaves_the_assignment_done_and_the_email_pending_until_the_sweep(
    make_client, make_intervention, technician, window, smtp, mailoutbox, log_lines
):
    intervention = make_intervention()
    smtp.down()

    response = make_client(Role.MANAGER).post(
        ASSIGN.format(pk=intervention.pk),
        {"technicians": [technician.pk], "scheduled_start": window[0], "scheduled_end": window[1]},
        format="json",
        HTTP_X_REQUEST_ID="req-smtp-down",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scheduled"
    assert Notification.objects.filter(user=technician.user, kind="intervention_assigned").count() == 1
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxStatus.PENDING, 1)
    assert "SMTPServerDisconnected" in email.last_error
    assert mailoutbox == []
    [warning] = [line for line in log_lines() if line.get("outbox") == email.pk and "attempts" in line]
    assert warning["level"] == "WARNING"
    assert warning["task_id"]
    assert warning["request_id"] == "req-smtp-down"

    smtp.up()
    assert flush_outbox() == {"sent": 0, "skipped": 0, "failed": 0}  # waiting after its failure
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert flush_outbox() == {"sent": 1, "skipped": 0, "failed": 0}
        assert flush_outbox() == {"sent": 0, "skipped": 0, "failed": 0}
    [sent] = mailoutbox
    assert sent.to == [technician.user.email]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)


@pytest.mark.django_db(transaction=True)
def test_a_notice_that_cannot_be_written_rolls_the_change_back(
    make_client, make_intervention, technician, window, monkeypatch
):
    """Notices are rows of the change: one policy, the change and its notices commit or roll back together."""

    def broken_notify(**kwargs):
        raise RuntimeError("notification centre unavailable")

    monkeypatch.setattr("interventions.notifications.notify", broken_notify)
    intervention = make_intervention()

    response = make_client(Role.MANAGER).post(
        ASSIGN.format(pk=intervention.pk),
        {"technicians": [technician.pk], "scheduled_start": window[0], "scheduled_end": window[1]},
        format="json",
    )

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    intervention.refresh_from_db()
    assert intervention.status == "new"
    assert not intervention.technicians.exists()
    assert not intervention.events.filter(action="assigned").exists()
