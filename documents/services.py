"""Writes of documents, keeping the storage and the database in step.

An upload is stored first and its row created after; should the row fail, the file is deleted
before the error goes on, so a failed write leaves no file behind. A deleted document's file goes
once the deletion commits. Whatever still slips through (a crash between the two, an outer
transaction rolled back later) is an orphan file that the `cleanup_uploads` job removes.
"""

from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from clients.models import Client
from equipment.models import Equipment
from erp_mif.core.errors import ApplicationError
from erp_mif.core.files import sha256_of
from erp_mif.core.writes import lock_references
from interventions.models import Intervention

from . import storage
from .choices import DocumentKind
from .detection import detect_content_type
from .models import Document
from .upload import display_name


def document_create(
    *,
    upload: UploadedFile,
    by,
    kind: str = DocumentKind.OTHER,
    client: Client | None = None,
    equipment: Equipment | None = None,
    intervention: Intervention | None = None,
) -> Document:
    """A document of `upload` on its one target; 415 unsupported_file_type unless the bytes are an accepted type."""
    content_type = detect_content_type(upload)
    if content_type is None:
        raise ApplicationError("unsupported_file_type", status_code=415)
    document = Document(
        name=display_name(upload.name, content_type),
        kind=kind,
        content_type=content_type,
        size=upload.size,
        sha256=sha256_of(upload),
        client=client,
        equipment=equipment,
        intervention=intervention,
        uploaded_by=by,
    )
    # The file first, outside the transaction: no row lock is held while the bytes travel.
    document.storage_name = storage.save(upload)
    try:
        _insert(document)
    except BaseException:
        storage.delete_quietly(document.storage_name)
        raise
    return document


@transaction.atomic
def _insert(document: Document) -> None:
    # A target deleted meanwhile is a 400, and none can be deleted until this commits.
    lock_references(client=document.client, equipment=document.equipment, intervention=document.intervention)
    document.save(force_insert=True)


@transaction.atomic
def document_change_kind(*, document: Document, kind: str) -> Document:
    document.kind = kind
    document.save(update_fields=["kind", "updated_at"])
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete the row now and its file once that commits (a rolled-back delete keeps both)."""
    document.delete()
    transaction.on_commit(partial(storage.delete_quietly, document.storage_name))
