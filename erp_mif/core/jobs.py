"""The job registry: every app declares its scheduled jobs in its own tasks.py, and `run` runs one by name.

    @job("overdue", HOURLY)
    def notify_overdue() -> dict: ...

A job is a plain function taking no argument and returning a dict of counts. `erp_mif.core.schedules`
upserts one django-q2 schedule per registered job; each schedule calls `run(<name>)`, which runs the
task, logs one line with its counts and records its last outcome (`JobRun`) for the health check.
The registry fills up when the apps are ready (`CoreConfig.ready` imports every app's tasks.py).
Times are Africa/Casablanca.
"""

import logging
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from .models import JobRun

logger = logging.getLogger("erp_mif.jobs")

DAILY, HOURLY, MINUTES = Schedule.DAILY, Schedule.HOURLY, Schedule.MINUTES


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a function taking no argument and returning a dict of counts
    every: str  # DAILY, HOURLY or MINUTES
    minutes: int | None = None  # for MINUTES
    at: time | None = None  # local time of day of a DAILY job

    def first_run(self, now: datetime) -> datetime:
        """The next occurrence of `at` for a daily job; now for the others."""
        if self.at is None:
            return now
        local = timezone.localtime(now)
        candidate = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        return candidate if candidate > local else candidate + timedelta(days=1)


JOBS: dict[str, Job] = {}
# name -> function(now) returning the rows that have outlived their use, deleted by the housekeeping job.
PURGES: dict[str, Callable[[datetime], QuerySet]] = {}


def _dotted_path(function: Callable) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _register(registry: dict, name: str, entry, task: str) -> None:
    known = registry.get(name)
    if known is not None and (known.task if isinstance(known, Job) else _dotted_path(known)) != task:
        raise ImproperlyConfigured(f"{name!r} is declared twice: {task} and {known}")
    registry[name] = entry


def job(name: str, every: str, *, minutes: int | None = None, at: time | None = None):
    """Declare the decorated function as the scheduled job `name`."""

    def register(function: Callable[[], dict]) -> Callable[[], dict]:
        task = _dotted_path(function)
        _register(JOBS, name, Job(name, task, every, minutes=minutes, at=at), task)
        return function

    return register


def purge(name: str):
    """Declare the decorated function(now) -> queryset as one purge of the daily housekeeping job."""

    def register(function: Callable[[datetime], QuerySet]) -> Callable[[datetime], QuerySet]:
        _register(PURGES, name, function, _dotted_path(function))
        return function

    return register


def run(name: str) -> dict:
    """Run job `name` now (the scheduler calls this; so does `manage.py run_job`)."""
    registered = JOBS[name]
    JobRun.objects.update_or_create(name=name, defaults={"last_started_at": timezone.now()})
    started = clock.monotonic()
    try:
        counts = import_string(registered.task)()
    except Exception as exc:
        JobRun.objects.update_or_create(
            name=name, defaults={"last_failure_at": timezone.now(), "last_error": f"{type(exc).__name__}: {exc}"}
        )
        logger.exception("job %s failed", name, extra={"job": name})
        raise
    JobRun.objects.update_or_create(name=name, defaults={"last_success_at": timezone.now(), "last_result": counts})
    duration_ms = round((clock.monotonic() - started) * 1000, 1)
    logger.info("job %s done", name, extra={"job": name, "counts": counts, "duration_ms": duration_ms})
    return counts
