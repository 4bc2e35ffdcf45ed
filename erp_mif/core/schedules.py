"""`manage.py setup_schedules`: one django-q2 schedule per registered job (erp_mif.core.jobs), upserted by name."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from .jobs import JOBS

RUN_JOB = "erp_mif.core.jobs.run"


@transaction.atomic
def setup_schedules(*, now: datetime | None = None) -> dict[str, int]:
    """Create or update one django-q2 schedule per job, by name; running it again changes nothing.

    An existing schedule keeps its next run, so a deploy does not make every job run at once. A schedule
    of a job that no longer exists is removed.
    """
    now = now or timezone.now()
    created = updated = 0
    for job in JOBS.values():
        wanted = {
            "func": RUN_JOB,
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
    removed, _ = Schedule.objects.filter(func=RUN_JOB).exclude(name__in=JOBS).delete()
    return {"created": created, "updated": updated, "removed": removed}
