"""Run one scheduled job by name: the task, one structured log line with its counts, its last outcome."""

import logging
import time

from django.utils import timezone
from django.utils.module_loading import import_string

from erp_mif.api.models import JobRun
from erp_mif.schedules import JOBS

logger = logging.getLogger("erp_mif.jobs")


def run(name: str) -> dict:
    """Run job `name` now (the scheduler calls this; so does `manage.py run_job`)."""
    job = JOBS[name]
    JobRun.objects.update_or_create(name=name, defaults={"last_started_at": timezone.now()})
    started = time.monotonic()
    try:
        counts = import_string(job.task)()
    except Exception as exc:
        JobRun.objects.update_or_create(
            name=name, defaults={"last_failure_at": timezone.now(), "last_error": f"{type(exc).__name__}: {exc}"}
        )
        logger.exception("job %s failed", name, extra={"job": name})
        raise
    JobRun.objects.update_or_create(name=name, defaults={"last_success_at": timezone.now(), "last_result": counts})
    duration_ms = round((time.monotonic() - started) * 1000, 1)
    logger.info("job %s done", name, extra={"job": name, "counts": counts, "duration_ms": duration_ms})
    return counts
