"""STORAGE_BACKEND=s3: documents in an S3-compatible bucket (moto stands in for it)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from moto import mock_aws

from documents.models import Document
from documents.storage import new_storage_name
from documents.tasks import cleanup_orphan_uploads
from tests.documents import samples
from tests.documents.conftest import DOCUMENT, DOWNLOAD

pytestmark = pytest.mark.django_db

BUCKET = "mif-documents"
REGION = "eu-west-3"


@pytest.fixture
def bucket(settings):
    """The project's S3 settings, pointed at a bucket that lives in moto."""
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": REGION,
                    "access_key": "testing",
                    "secret_key": "testing",
                    "default_acl": None,
                    "querystring_auth": True,
                    "querystring_expire": settings.DOWNLOAD_URL_MAX_AGE,
                    "file_overwrite": False,
                },
            },
        }
        yield s3


def keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_upload_is_stored_in_the_bucket(bucket, make_document):
    make_document(filename="rapport.pdf")

    stored = Document.objects.get().storage_name
    assert keys(bucket) == [stored]
    assert bucket.get_object(Bucket=BUCKET, Key=stored)["Body"].read() == samples.PDF


def test_download_redirects_to_a_short_lived_presigned_url(bucket, make_client, make_document, settings):
    document = make_document(filename=samples.UNICODE_NAME)

    response = make_client("viewer").get(DOWNLOAD.format(pk=document["id"]))

    assert response.status_code == 302
    url = urlparse(response["Location"])
    query = parse_qs(url.query)
    assert url.path.endswith(Document.objects.get().storage_name)
    assert query["X-Amz-Expires"] == [str(settings.DOWNLOAD_URL_MAX_AGE)]
    assert query["response-content-type"] == ["application/pdf"]
    assert query["response-content-disposition"] == [samples.UNICODE_DISPOSITION]


def test_a_signed_link_redirects_too(bucket, make_client, make_document, api_client):
    document = make_document()
    link = make_client("viewer").get(DOCUMENT.format(pk=document["id"])).json()["download_url"]

    response = api_client.get(link)

    assert response.status_code == 302
    assert "X-Amz-Signature" in response["Location"]


def test_delete_removes_the_object(bucket, make_client, make_document, django_capture_on_commit_callbacks):
    document = make_document()

    with django_capture_on_commit_callbacks(execute=True):
        response = make_client("manager").delete(DOCUMENT.format(pk=document["id"]))

    assert response.status_code == 204
    assert keys(bucket) == []


def test_cleanup_walks_the_bucket(bucket, make_document):
    make_document()
    orphan = default_storage.save(new_storage_name(), ContentFile(b"orphan"))
    default_storage.save("health/probe.txt", ContentFile(b"ok"))

    result = cleanup_orphan_uploads(now=timezone.now() + timedelta(hours=25))

    assert result == {"scanned": 2, "removed": 1}
    assert orphan not in keys(bucket)
    assert len(keys(bucket)) == 2
