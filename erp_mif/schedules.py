"""Every scheduled job, declared once; `manage.py setup_schedules` upserts them into django-q2 by name.

Each schedule calls `erp_mif.jobs.run(<name>)`, which runs the job's task, logs one line with its
counts and records its last success (`JobRun`) for the health check. Times are Africa/Casablanca.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

DAILY, HOURLY, MINUTES = Schedule.DAILY, Schedule.HOURLY, Schedule.MINUTES


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a function taking no argument and returning a dict of counts
    every: str  # DAILY, HOURLY or MINUTES
    minutes: int | None = None  # for MINUTES
    at: time | None = None  # local time of day of a DAILY job

    @property
    def period(self) -> timedelta:
        return {DAILY: timedelta(days=1), HOURLY: timedelta(hours=1)}.get(self.every) or timedelta(minutes=self.minutes)

    def first_run(self, now: datetime) -> datetime:
        """The next occurrence of `at` for a daily job; now for the others."""
        if self.at is None:
            return now
        local = timezone.localtime(now)
        candidate = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        return candidate if candidate > local else candidate + timedelta(days=1)


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        # The evening before: technicians get tomorrow's scheduled interventions.
        Job("reminders", "interventions.tasks.send_reminders", DAILY, at=time(17, 0)),
        Job("overdue", "interventions.tasks.notify_overdue", HOURLY),
        Job("preventive", "interventions.tasks.generate_preventive", DAILY, at=time(2, 0)),
        Job("warranty", "equipment.tasks.notify_warranty_expiring", DAILY, at=time(7, 0)),
        Job("cleanup_uploads", "documents.tasks.cleanup_orphan_uploads", DAILY, at=time(3, 0)),
        Job("housekeeping", "erp_mif.api.tasks.housekeeping", DAILY, at=time(4, 0)),
        # The sweep that sends what the per-email tasks could not (worker restarted, SMTP down).
        Job("outbox", "notifications.tasks.flush_outbox", MINUTES, minutes=5),
    )
}


@transaction.atomic
def setup_schedules(*, now: datetime | None = None) -> dict[str, int]:
    """Create or update one django-q2 schedule per job, by name; running it again changes nothing.

    An existing schedule keeps its next run, so a deploy does not make every job run at once.
    """
    now = now or timezone.now()
    created = updated = 0
    for job in JOBS.values():
        wanted = {
            "func": "erp_mif.jobs.run",
            "args": repr(job.name),
            "schedule_type": job.every,
            "minutes": job.minutes,
            "repeats": -1,
        }
        schedule = Schedule.objects.filter(name=job.name).first()
        if schedule is None:
            Schedule.objects.create(name=job.name, next_run=job.first_run(now), **wanted)
            created += 1
        elif any(getattr(schedule, field) != value for field, value in wanted.items()):
            Schedule.objects.filter(pk=schedule.pk).update(**wanted)
            updated += 1
    removed, _ = Schedule.objects.filter(func="erp_mif.jobs.run").exclude(name__in=JOBS).delete()
    return {"created": created, "updated": updated, "removed": removed}
