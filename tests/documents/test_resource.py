"""/api/v1/documents/: the generated resource tests (tests/resources.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from documents.models import Document
from erp_mif.accounts.choices import Role
from tests.accounts.factories import UserFactory
from tests.documents import samples
from tests.interventions.factories import intervention_visible_to
from tests.resources import Resource, resource_tests


def document_visible_to(user=None) -> Document:
    """A PDF on an intervention `user` may see (`intervention_visible_to`), by an uploader of its own: the list
    joins the uploaders."""
    return services.document_create(
        upload=SimpleUploadedFile("rapport.pdf", samples.PDF),
        by=UserFactory(role=Role.MANAGER),
        intervention=intervention_visible_to(user),
    )


TestDocumentResource = resource_tests(
    # count + page, uploaders joined
    Resource("document", "/api/v1/documents/", document_visible_to, list_queries=2, patch={"kind": "invoice"})
)
