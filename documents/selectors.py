"""Reads of documents as the API and the admin show them, one query per page."""

from django.db.models import QuerySet

from .models import Document


def document_list() -> QuerySet[Document]:
    """Documents with their uploader joined, for `uploaded_by_name`."""
    return Document.objects.select_related("uploaded_by")
