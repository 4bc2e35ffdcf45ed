from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import Schedule, Task
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from erp_mif.accounts.models import LoginFailure
from erp_mif.api import health
from erp_mif.core import jobs
from erp_mif.core.jobs import JOBS
from erp_mif.core.models import IdempotencyRecord, JobRun
from erp_mif.core.schedules import setup_schedules
from erp_mif.core.tasks import housekeeping
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_setup_schedules_upserts_every_job_by_name():
    assert setup_schedules()["created"] == len(JOBS)
    schedule = Schedule.objects.get(name="overdue")
    schedule.schedule_type = Schedule.DAILY
    schedule.save()
    next_run = Schedule.objects.get(name="reminders").next_run

    again = setup_schedules()

    assert again == {"created": 0, "updated": 1, "removed": 0}
    assert Schedule.objects.count() == len(JOBS)
    assert Schedule.objects.get(name="overdue").schedule_type == Schedule.HOURLY
    assert Schedule.objects.get(name="reminders").next_run == next_run  # a deploy does not reschedule


def test_setup_schedules_command_is_idempotent():
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    call_command("setup_schedules", stdout=out)

    assert Schedule.objects.filter(name__in=JOBS).count() == len(JOBS)
    assert "0 created" in out.getvalue().splitlines()[-1]


def test_daily_jobs_first_run_at_their_local_hour():
    now = timezone.now()
    setup_schedules(now=now)

    reminders = timezone.localtime(Schedule.objects.get(name="reminders").next_run)
    assert (reminders.hour, reminders.minute) == (17, 0)
    assert now < reminders <= now + timedelta(days=1)


def test_run_job_runs_it_now_records_the_success_and_prints_the_counts(monkeypatch):
    out = StringIO()
    call_command("run_job", "housekeeping", stdout=out)

    assert out.getvalue().startswith("housekeeping: {")
    run = JobRun.objects.get(name="housekeeping")
    assert run.last_success_at is not None
    assert "refresh_tokens" in run.last_result


def test_run_job_refuses_an_unknown_name():
    with pytest.raises(CommandError, match="unknown job"):
        call_command("run_job", "nope")


def test_a_failing_job_is_recorded_and_raised(monkeypatch):
    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr("erp_mif.core.tasks.housekeeping", broken)

    with pytest.raises(RuntimeError):
        jobs.run("housekeeping")
    assert "disk full" in JobRun.objects.get(name="housekeeping").last_error


def test_scheduler_health_is_stale_until_scheduled_then_ok_then_stale_when_late_or_failing():
    assert health.check_scheduler() == "stale"  # nothing scheduled yet
    setup_schedules()
    assert health.check_scheduler() == "ok"

    Schedule.objects.filter(name="outbox").update(next_run=timezone.now() - timedelta(hours=1))
    assert health.check_scheduler() == "stale"  # the worker is not picking up due runs

    setup_schedules()
    Schedule.objects.filter(name="outbox").update(next_run=timezone.now())
    JobRun.objects.create(name="warranty", last_failure_at=timezone.now(), last_error="boom")
    assert health.check_scheduler() == "stale"


def test_health_reports_the_scheduler_without_failing_readiness(api_client):
    response = api_client.get("/api/v1/health/")

    assert response.status_code == 200
    assert response.json()["checks"]["scheduler"] == "stale"


def test_housekeeping_purges_only_what_is_old_and_can_run_twice():
    user = UserFactory()
    old = IdempotencyRecord.objects.create(user=user, key="old", fingerprint="x")
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyRecord.objects.create(user=user, key="fresh", fingerprint="y")

    first, second = housekeeping(), housekeeping()

    assert first["idempotency_records"] == 1
    assert second["idempotency_records"] == 0
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_housekeeping_purges_each_kind_of_old_record():
    user = UserFactory()
    long_ago = timezone.now() - timedelta(days=200)
    OutstandingToken.objects.create(user=user, jti="old", token="t", expires_at=long_ago)
    OutstandingToken.objects.create(user=user, jti="live", token="t", expires_at=timezone.now() + timedelta(days=1))
    LoginFailure.objects.create(email="a@mif.ma")
    LoginFailure.objects.filter().update(created_at=long_ago)
    LoginFailure.objects.create(email="b@mif.ma")
    old_read = NotificationFactory(user=user, is_read=True)
    old_unread = NotificationFactory(user=user, is_read=False)
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(created_at=long_ago)
    Task.objects.create(id="t1", name="old", func="x", started=long_ago, stopped=long_ago, success=True)

    counts = housekeeping()

    assert counts == {
        "refresh_tokens": 1,
        "idempotency_records": 0,
        "login_failures": 1,
        "task_records": 1,
        "read_notifications": 1,
    }
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == ["live"]
    assert list(Notification.objects.values_list("pk", flat=True)) == [old_unread.pk]


def test_a_run_that_started_and_never_ended_makes_the_scheduler_stale():
    setup_schedules()
    JobRun.objects.create(name="preventive", last_started_at=timezone.now() - timedelta(minutes=5))
    assert health.check_scheduler() == "ok"  # still within the time a run may take

    JobRun.objects.filter(name="preventive").update(last_started_at=timezone.now() - timedelta(hours=1))
    assert health.check_scheduler() == "stale"  # killed by the timeout or a worker restart

    jobs.run("preventive")
    assert health.check_scheduler() == "ok"
