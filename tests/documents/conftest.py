from pathlib import Path

import pytest
from django.conf import settings

from tests.documents import samples
from tests.interventions.factories import InterventionFactory
from tests.technicians.factories import TechnicianFactory

DOCUMENTS = "/api/v1/documents/"
DOCUMENT = "/api/v1/documents/{pk}/"
DOWNLOAD = "/api/v1/documents/{pk}/download/"
LIMITS = "/api/v1/documents/limits/"


def upload(api, fields: dict, *, filename="rapport.pdf", content=samples.PDF, **headers):
    """POST an upload built by `samples.multipart(fields, filename=..., content=...)`."""
    body, content_type = samples.multipart(fields, filename=filename, content=content)
    return api.generic("POST", DOCUMENTS, body, content_type=content_type, **headers)


def stored_files() -> list[Path]:
    """Every file the local storage holds under documents/."""
    root = Path(settings.MEDIA_ROOT) / "documents"
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def technician(db):
    return TechnicianFactory()


@pytest.fixture
def own_intervention(technician):
    """An intervention the `technician` is assigned to."""
    return InterventionFactory(technicians=[technician])


@pytest.fixture
def make_document(make_client):
    """make_document(api=None, **fields, content=..., filename=...): a document uploaded through the API."""

    def _make(api=None, *, content=samples.PDF, filename="rapport.pdf", **fields):
        fields = fields or {"intervention": InterventionFactory().pk}
        response = upload(api or make_client("manager"), fields, filename=filename, content=content)
        assert response.status_code == 201, response.content
        return response.json()

    return _make
