"""Uploads: the type judged from the bytes, the size limit, the name, and nothing kept from a refused upload."""

import io
from unittest import mock

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from documents.models import Document
from tests.documents import samples
from tests.documents.conftest import DOCUMENTS, stored_files, upload
from tests.helpers import assert_envelope
from tests.interventions.factories import InterventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_client):
    return make_client("manager")


@pytest.fixture
def target(db):
    return {"intervention": InterventionFactory().pk}


def assert_nothing_kept():
    assert not Document.objects.exists()
    assert stored_files() == []


# ------------------------------------------------------------------------------
# Types, from the bytes
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.PDF, "application/pdf"),
        (samples.PNG, "image/png"),
        (samples.JPEG, "image/jpeg"),
        (samples.WEBP, "image/webp"),
        (samples.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (samples.CSV, "text/csv"),
        ("Désignation;Quantité\nCâble 3x2,5;12\n".encode("cp1252"), "text/csv"),
        (b"BMW;Compresseur;2019\nMAN;Groupe;2021\n", "text/csv"),
    ],
    ids=["pdf", "png", "jpeg", "webp", "docx", "xlsx", "csv", "csv-excel-cp1252", "csv-looking-like-bmp"],
)
def test_accepted_types_are_detected_whatever_the_name_says(content, expected, manager, target):
    response = upload(manager, target, filename="fichier.exe", content=content)

    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == expected


@pytest.mark.parametrize(
    "content",
    [
        samples.HTML,
        samples.ELF,
        samples.docx(vba=True),
        samples.docx(content_type=samples.WORD_MACRO_MAIN),
        samples.xlsx(vba=True, content_type=samples.EXCEL_MACRO_MAIN),
        samples.xlsx(content_type=samples.EXCEL_MACRO_MAIN),
        samples.zip_of({"notes.txt": "pas un document Office"}),
        samples.docx_with_renamed_vba_part(),
        samples.truncated_zip(),
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,",
        "date;minutes\n2026-01-05;45\n".encode("utf-16"),
        b"\x81\x8d invalid in utf-8 and cp1252;x\n1;2\n",
        b"une seule colonne\nsans aucun separateur\n",
    ],
    ids=[
        "html-named-pdf",
        "elf",
        "docm-vba-project",
        "docm-content-type",
        "xlsm",
        "xlsm-content-type-only",
        "plain-zip",
        "docm-renamed-vba-part",
        "truncated-zip",
        "gif",
        "utf16-csv",
        "neither-utf8-nor-cp1252",
        "text-without-delimiters",
    ],
)
def test_other_types_are_refused_and_nothing_is_kept(content, manager, target):
    response = upload(manager, target, filename="x.pdf", content=content)

    assert_envelope(response, 415, "unsupported_file_type")
    assert_nothing_kept()


# ------------------------------------------------------------------------------
# Size
# ------------------------------------------------------------------------------
def test_a_file_of_the_limit_is_accepted(manager, target, settings):
    content = samples.PDF.ljust(2048, b"%")
    settings.UPLOAD_MAX_BYTES = len(content)

    response = upload(manager, target, content=content)

    assert response.status_code == 201, response.content
    assert response.json()["size"] == len(content)


def test_a_large_upload_spooled_to_disk_is_stored_whole(manager, target, settings):
    content = samples.PDF.ljust(settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1, b"%")

    response = upload(manager, target, content=content)

    assert response.status_code == 201, response.content
    assert [path.read_bytes() for path in stored_files()] == [content]


def test_one_byte_over_the_limit_is_refused_while_streaming(manager, target, settings):
    content = samples.PDF.ljust(2049, b"%")
    settings.UPLOAD_MAX_BYTES = len(content) - 1

    response = upload(manager, target, content=content)

    assert_envelope(response, 413, "file_too_large")
    assert_nothing_kept()


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(manager, target, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    body, content_type = samples.multipart(target)
    payload = mock.Mock(wraps=io.BytesIO(body))

    response = manager.generic(
        "POST", DOCUMENTS, body, content_type=content_type, CONTENT_LENGTH=str(10 * 1024**3), **{"wsgi.input": payload}
    )

    assert_envelope(response, 413, "file_too_large")
    payload.read.assert_not_called()
    assert_nothing_kept()


# ------------------------------------------------------------------------------
# Malformed requests
# ------------------------------------------------------------------------------
def test_a_zero_byte_file_is_refused(manager, target):
    response = upload(manager, target, content=b"")

    assert "file" in assert_envelope(response, 400, "validation_error")["errors"]
    assert_nothing_kept()


@pytest.mark.parametrize("filename", [None, ""], ids=["no-file-part", "empty-file-part"])
def test_a_missing_file_is_refused(filename, manager, target):
    response = upload(manager, target, filename=filename, content=b"")

    assert "file" in assert_envelope(response, 400, "validation_error")["errors"]
    assert_nothing_kept()


def test_a_truncated_body_is_refused(manager, target):
    body, content_type = samples.multipart(target, content=samples.PDF * 50)
    truncated = body[: len(body) // 2]

    response = manager.generic("POST", DOCUMENTS, truncated, content_type=content_type)

    assert_envelope(response, 400, "parse_error")
    assert_nothing_kept()


def test_a_json_body_is_refused(manager, target):
    response = manager.post(DOCUMENTS, target, format="json")

    assert "file" in assert_envelope(response, 400, "validation_error")["errors"]


def test_no_target_is_refused_on_every_target_field(manager):
    response = upload(manager, {"kind": "report"})

    errors = assert_envelope(response, 400, "validation_error")["errors"]
    assert set(errors) == {"client", "equipment", "intervention"}
    assert_nothing_kept()


def test_two_targets_are_refused_on_both(manager):
    intervention = InterventionFactory()

    response = upload(manager, {"client": intervention.client_id, "intervention": intervention.pk})

    errors = assert_envelope(response, 400, "validation_error")["errors"]
    assert set(errors) == {"client", "intervention"}
    assert_nothing_kept()


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", "99999999999999999999999"])
def test_a_malformed_target_id_is_refused(value, manager):
    response = upload(manager, {"intervention": value})

    assert "intervention" in assert_envelope(response, 400, "validation_error")["errors"]
    assert_nothing_kept()


def test_an_unknown_kind_is_refused(manager, target):
    response = upload(manager, {**target, "kind": "secret"})

    assert "kind" in assert_envelope(response, 400, "validation_error")["errors"]
    assert_nothing_kept()


# ------------------------------------------------------------------------------
# Names: kept for display, sanitised, never part of the stored path
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("Rapport été 2026 — Fès.pdf", "Rapport été 2026 — Fès.pdf"),
        ("fac\x07ture\x1b\u202efdp.exe", "facturefdp.exe.pdf"),
        ("rapport.html", "rapport.html.pdf"),
        ("scan.PDF", "scan.PDF"),
        ("  .htaccess.pdf ", "htaccess.pdf"),
        ("...", "document.pdf"),
    ],
)
def test_names_are_sanitised(uploaded, shown, manager, target):
    response = upload(manager, target, filename=uploaded)

    assert response.status_code == 201, response.content
    assert response.json()["name"] == shown


def test_a_long_name_is_shortened_keeping_its_extension(manager, target):
    response = upload(manager, target, filename="é" * 300 + ".pdf")

    name = response.json()["name"]
    assert len(name) == 255
    assert name.endswith("é.pdf")


def test_a_name_of_a_thousand_characters_is_refused(manager, target):
    # Django reads at most 1 KiB of a part's headers: such a name cannot be a file part.
    response = upload(manager, target, filename="r" * 1000 + ".pdf")

    assert_envelope(response, 400, "parse_error")
    assert_nothing_kept()


# ------------------------------------------------------------------------------
# Idempotency-Key
# ------------------------------------------------------------------------------
def test_a_replayed_upload_creates_one_document(manager, target):
    first = upload(manager, target, HTTP_IDEMPOTENCY_KEY="upload-1")
    second = upload(manager, target, HTTP_IDEMPOTENCY_KEY="upload-1")

    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert Document.objects.count() == 1
    assert len(stored_files()) == 1


def test_the_same_key_with_another_file_is_refused(manager, target):
    upload(manager, target, content=samples.PDF, HTTP_IDEMPOTENCY_KEY="upload-2")
    response = upload(manager, target, content=samples.PNG, HTTP_IDEMPOTENCY_KEY="upload-2")

    assert_envelope(response, 422, "idempotency_key_mismatch")
    assert Document.objects.count() == 1
    assert len(stored_files()) == 1


# ------------------------------------------------------------------------------
# Failures of the storage or the database leave nothing behind
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "error",
    [OSError(28, "No space left on device"), EndpointConnectionError(endpoint_url="https://s3.example")],
    ids=["disk", "s3"],
)
def test_storage_down_is_a_503_and_nothing_is_recorded(error, manager, target):
    with mock.patch.object(default_storage, "save", side_effect=error):
        response = upload(manager, target)

    assert_envelope(response, 503, "service_unavailable")
    assert_nothing_kept()


def test_a_failed_database_write_leaves_no_file(manager, target):
    with mock.patch.object(Document, "save", side_effect=OperationalError("database gone")):
        response = upload(manager, target)

    assert_envelope(response, 503, "service_unavailable")
    assert_nothing_kept()


@pytest.mark.parametrize(
    ("fields", "files", "status", "code"),
    [
        ({f"f{n}": "x" for n in range(1100)}, 1, 400, "parse_error"),
        ({}, 101, 400, "parse_error"),
        ({"kind": "x" * 3_000_000}, 1, 413, "file_too_large"),
    ],
    ids=["too-many-fields", "too-many-files", "field-too-big"],
)
def test_form_limits_are_client_errors_not_500(manager, target, fields, files, status, code):
    body = {**fields, **target, "file": [SimpleUploadedFile(f"r{n}.pdf", samples.PDF) for n in range(files)]}

    response = manager.post("/api/v1/documents/", body, format="multipart")

    assert_envelope(response, status, code)
    assert_nothing_kept()
