"""Where documents' bytes live: Django's default storage (local files, or an S3-compatible store).

Stored names are chosen here and nowhere else: `documents/YYYY/MM/DD/<uuid hex>`, with nothing
from the user in them. A storage that fails (disk, network, credentials) is a 503, never a 500.
"""

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from storages.backends.s3 import S3Storage

from erp_mif.core.errors import ApplicationError

logger = logging.getLogger(__name__)

ROOT = "documents"
# What the local file system and boto raise when the store cannot be reached or written.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


@contextmanager
def storage_available() -> Iterator[None]:
    """Turn the storage's failures into 503 service_unavailable; a file gone from a working store is a 404."""
    try:
        yield
    except FileNotFoundError as exc:
        logger.error("document file missing from the storage", exc_info=exc)
        raise ApplicationError("not_found", status_code=404) from exc
    except STORAGE_ERRORS as exc:
        logger.error("document storage unavailable", exc_info=exc)
        raise ApplicationError("service_unavailable", status_code=503) from exc


def new_storage_name(now: datetime | None = None) -> str:
    """A fresh random key under the day's folder (UTC)."""
    return f"{ROOT}/{(now or timezone.now()):%Y/%m/%d}/{uuid.uuid4().hex}"


def save(file: File) -> str:
    """Store `file` under a new name and return the name the storage kept."""
    file.seek(0)
    with storage_available():
        return default_storage.save(new_storage_name(), file)


def delete_quietly(name: str) -> None:
    """Delete a stored file; a failure is logged and left to the cleanup_uploads job."""
    try:
        default_storage.delete(name)
    except STORAGE_ERRORS:
        logger.exception("document file not deleted", extra={"storage_name": name})


def open_for_reading(name: str) -> File:
    with storage_available():
        return default_storage.open(name, "rb")


def is_object_store() -> bool:
    """S3-compatible stores answer downloads themselves, through a presigned URL."""
    return isinstance(default_storage, S3Storage)


def presigned_url(name: str, *, content_type: str, content_disposition: str) -> str:
    """A URL valid DOWNLOAD_URL_MAX_AGE seconds that makes the store answer with these headers."""
    parameters = {"ResponseContentType": content_type, "ResponseContentDisposition": content_disposition}
    with storage_available():
        return default_storage.url(name, parameters=parameters, expire=settings.DOWNLOAD_URL_MAX_AGE)
