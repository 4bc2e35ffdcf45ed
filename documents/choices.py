"""The vocabulary of documents: what a document is about, and the file types an upload may have."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    PHOTO = "photo", _("Photo")
    CONTRACT = "contract", _("Contract")
    INVOICE = "invoice", _("Invoice")
    MANUAL = "manual", _("Manual")
    OTHER = "other", _("Other")


PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"

# The contract's list, in its order: an upload of any other type is refused (415).
ALLOWED_CONTENT_TYPES = (PDF, JPEG, PNG, WEBP, DOCX, XLSX, CSV)

# The extension a document's name gets when the uploaded name leaves nothing usable.
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", DOCX: "docx", XLSX: "xlsx", CSV: "csv"}
