"""Downloads: streamed by Django, handed to nginx, or through a signed link without the Authorization header."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from documents.models import Document
from tests.documents import samples
from tests.documents.conftest import DOCUMENT, DOWNLOAD, stored_files
from tests.helpers import assert_envelope

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_streams_the_bytes_with_safe_headers(make_client, make_document):
    document = make_document(filename=samples.UNICODE_NAME)

    response = make_client("viewer").get(DOWNLOAD.format(pk=document["id"]))

    assert response.status_code == 200
    assert body(response) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == samples.UNICODE_DISPOSITION
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in response


def test_the_detected_type_is_served_not_the_uploaded_one(make_client, make_document):
    document = make_document(filename="photo.pdf", content=samples.PNG)

    response = make_client("viewer").get(DOWNLOAD.format(pk=document["id"]))

    assert response["Content-Type"] == "image/png"


def test_an_image_request_gets_the_image(make_client, make_document):
    """<img src> sends Accept: image/*, which the API's JSON renderer alone would refuse (406)."""
    document = make_document(content=samples.PNG)

    response = make_client("viewer").get(DOWNLOAD.format(pk=document["id"]), HTTP_ACCEPT="image/avif,image/*")

    assert response.status_code == 200
    assert body(response) == samples.PNG


def test_x_accel_hands_the_transfer_to_nginx(make_client, make_document, settings):
    settings.DOWNLOADS_X_ACCEL = True
    document = make_document(filename=samples.UNICODE_NAME)

    response = make_client("viewer").get(DOWNLOAD.format(pk=document["id"]))

    stored = Document.objects.get().storage_name
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == samples.UNICODE_DISPOSITION
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_missing_from_a_working_storage_is_a_404(make_client, make_document):
    document = make_document()
    for path in stored_files():
        path.unlink()

    response = make_client("viewer").get(DOWNLOAD.format(pk=document["id"]))

    assert_envelope(response, 404, "not_found")


# ------------------------------------------------------------------------------
# Signed links
# ------------------------------------------------------------------------------
def signed_link(make_client, document) -> str:
    return make_client("viewer").get(DOCUMENT.format(pk=document["id"])).json()["download_url"]


def test_a_signed_link_works_without_authorization(make_client, make_document):
    link = signed_link(make_client, make_document())

    response = APIClient().get(link)

    assert response.status_code == 200
    assert body(response) == samples.PDF


def test_a_signed_link_works_until_it_expires(make_client, make_document, settings):
    document = make_document()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = signed_link(make_client, document)
        clock.shift(timedelta(seconds=settings.DOWNLOAD_URL_MAX_AGE - 1))
        still_valid = APIClient().get(link)
        clock.shift(timedelta(seconds=2))
        expired = APIClient().get(link, HTTP_ACCEPT="image/*")

    assert still_valid.status_code == 200
    assert_envelope(expired, 403, "permission_denied")


def test_a_tampered_signature_is_refused(make_client, make_document):
    link = signed_link(make_client, make_document())

    response = APIClient().get(link[:-2] + ("AA" if not link.endswith("AA") else "BB"))

    assert_envelope(response, 403, "permission_denied")


def test_a_signature_opens_its_own_document_only(make_client, make_document):
    first, second = make_document(), make_document()
    link = signed_link(make_client, first)

    response = APIClient().get(link.replace(f"/{first['id']}/", f"/{second['id']}/"))

    assert_envelope(response, 403, "permission_denied")


def test_a_signature_does_not_open_other_endpoints(make_client, make_document):
    document = make_document()
    signature = signed_link(make_client, document).split("?", 1)[1]

    response = APIClient().get(f"{DOCUMENT.format(pk=document['id'])}?{signature}")

    assert_envelope(response, 401, "not_authenticated")


def test_without_a_signature_an_anonymous_download_needs_a_login(make_document):
    response = APIClient().get(DOWNLOAD.format(pk=make_document()["id"]))

    assert_envelope(response, 401, "not_authenticated")
