"""Background jobs of documents."""

import logging
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from erp_mif.core.jobs import DAILY, job

from . import storage
from .models import Document

logger = logging.getLogger(__name__)

# Younger files may belong to an upload whose row is not committed yet.
ORPHAN_MIN_AGE = timedelta(hours=24)


@job("cleanup_uploads", DAILY, at=time(3, 0))
def cleanup_orphan_uploads(*, now: datetime | None = None) -> dict:
    """The `cleanup_uploads` job: remove stored files under documents/ that no document points to,
    older than 24 h (left by a crash between storing a file and recording it, or by a rolled-back
    transaction). Walks the storage through its API, so local files and S3 alike; safe to rerun."""
    cutoff = (now or timezone.now()) - ORPHAN_MIN_AGE
    scanned = removed = 0
    for folder, names in _walk(storage.ROOT):
        paths = [f"{folder}/{name}" for name in names]
        recorded = set(Document.objects.filter(storage_name__in=paths).values_list("storage_name", flat=True))
        scanned += len(paths)
        for path in paths:
            if path not in recorded and _remove_if_older(path, cutoff):
                removed += 1
    return {"scanned": scanned, "removed": removed}


def _remove_if_older(path: str, cutoff: datetime) -> bool:
    """Delete `path` when it was last written before `cutoff`; one file failing never stops the sweep."""
    try:
        if default_storage.get_modified_time(path) >= cutoff:
            return False
        default_storage.delete(path)
    except storage.STORAGE_ERRORS:
        logger.exception("orphan upload not removed", extra={"storage_name": path})
        return False
    logger.info("orphan upload removed", extra={"storage_name": path})
    return True


def _walk(folder: str) -> Iterator[tuple[str, list[str]]]:
    """(folder, file names) for `folder` and every folder below it."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet (S3 lists an absent prefix as empty)
        return
    yield folder, files
    for child in folders:
        yield from _walk(f"{folder}/{child}")
