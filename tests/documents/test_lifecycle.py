"""The storage and the database stay in step: no file without its row, no row without its file for long."""

import os
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents import services
from documents.models import Document
from documents.storage import new_storage_name
from documents.tasks import cleanup_orphan_uploads
from erp_mif.core.errors import ApplicationError
from interventions.models import Intervention
from tests.accounts.factories import UserFactory
from tests.documents import samples
from tests.documents.conftest import stored_files
from tests.interventions.factories import InterventionFactory

pytestmark = pytest.mark.django_db


def create(**fields) -> Document:
    return services.document_create(upload=SimpleUploadedFile("rapport.pdf", samples.PDF), by=UserFactory(), **fields)


def test_an_integrity_error_on_insert_deletes_the_stored_file():
    with (
        mock.patch.object(Document, "save", side_effect=IntegrityError("duplicate")),
        pytest.raises(IntegrityError),
    ):
        create(intervention=InterventionFactory())

    assert stored_files() == []


def test_a_target_deleted_meanwhile_deletes_the_stored_file():
    intervention = InterventionFactory()
    Intervention.objects.filter(pk=intervention.pk).delete()

    with pytest.raises(ApplicationError) as refused:
        create(intervention=intervention)

    assert "intervention" in refused.value.errors

    assert stored_files() == []
    assert not Document.objects.exists()


def test_a_deleted_document_loses_its_file_once_the_deletion_commits(django_capture_on_commit_callbacks):
    document = create(intervention=InterventionFactory())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.document_delete(document=document)
        assert len(stored_files()) == 1, "the file stays until the commit"
    for callback in callbacks:
        callback()

    assert stored_files() == []


def test_a_rolled_back_deletion_keeps_the_file(django_capture_on_commit_callbacks):
    document = create(intervention=InterventionFactory())
    pk = document.pk

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.document_delete(document=document)
        transaction.set_rollback(True)

    assert Document.objects.filter(pk=pk).exists()
    assert len(stored_files()) == 1


def test_a_file_that_cannot_be_deleted_is_left_to_the_cleanup_job(django_capture_on_commit_callbacks):
    document = create(intervention=InterventionFactory())

    with (
        mock.patch.object(default_storage, "delete", side_effect=OSError("busy")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.document_delete(document=document)

    assert not Document.objects.exists()
    assert len(stored_files()) == 1


# ------------------------------------------------------------------------------
# cleanup_uploads
# ------------------------------------------------------------------------------
def store(name: str, *, age: timedelta) -> str:
    saved = default_storage.save(name, ContentFile(b"orphan?"))
    moment = (timezone.now() - age).timestamp()
    os.utime(default_storage.path(saved), (moment, moment))
    return saved


def test_cleanup_removes_old_orphans_only_and_can_run_again():
    old_orphan = store(new_storage_name(), age=timedelta(hours=25))
    young_orphan = store(new_storage_name(), age=timedelta(hours=23))
    kept_by_a_document = create(intervention=InterventionFactory()).storage_name
    os.utime(default_storage.path(kept_by_a_document), (0, 0))
    outside_documents = store("health/probe.txt", age=timedelta(days=3))

    first = cleanup_orphan_uploads()
    second = cleanup_orphan_uploads()

    assert first == {"scanned": 3, "removed": 1}
    assert second == {"scanned": 2, "removed": 0}
    assert not default_storage.exists(old_orphan)
    assert default_storage.exists(young_orphan)
    assert default_storage.exists(kept_by_a_document)
    assert default_storage.exists(outside_documents)


def test_cleanup_takes_its_clock_as_an_argument():
    orphan = store(new_storage_name(), age=timedelta(hours=1))

    assert cleanup_orphan_uploads(now=timezone.now() + timedelta(hours=24)) == {"scanned": 1, "removed": 1}
    assert not default_storage.exists(orphan)


def test_cleanup_of_an_empty_storage():
    assert cleanup_orphan_uploads() == {"scanned": 0, "removed": 0}
