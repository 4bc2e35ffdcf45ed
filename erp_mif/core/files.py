"""Helpers for uploaded files, shared by the idempotency fingerprint and the documents app."""

import hashlib

from django.core.files.uploadedfile import UploadedFile


def sha256_of(upload: UploadedFile) -> str:
    """The hex SHA-256 of an upload, read chunk by chunk; the file is left at its start for the next reader."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
