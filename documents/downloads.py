"""Handing a document's bytes out: signed download links, Content-Disposition and the three ways to answer.

A download is streamed by Django (the default), handed to nginx with X-Accel-Redirect
(DOWNLOADS_X_ACCEL), or, from an S3-compatible store, redirected to a short-lived presigned URL.
Every answer names the detected type and says `attachment`, so a browser never renders an upload
in the application's origin.
"""

import unicodedata
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import storage
from .models import Document

SIGNATURE_PARAM = "signature"
_SIGNING_SALT = "documents.download"
ASCII_FALLBACK_NAME = "download"


# ------------------------------------------------------------------------------
# Signed links: <a href> and <img src> cannot send the Authorization header
# ------------------------------------------------------------------------------
def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SIGNING_SALT)


def download_path(document: Document) -> str:
    """The download endpoint of `document` with a signature valid DOWNLOAD_URL_MAX_AGE seconds from now.

    The signed value is the document id; the URL carries the id in its path and the rest
    (timestamp and signature) in `?signature=`.
    """
    signer = _signer()
    token = signer.sign(str(document.pk)).removeprefix(f"{document.pk}{signer.sep}")
    path = reverse("document-download", kwargs={"pk": document.pk})
    return f"{path}?{urlencode({SIGNATURE_PARAM: token})}"


def signature_is_valid(pk: str, token: str) -> bool:
    signer = _signer()
    try:
        signer.unsign(f"{pk}{signer.sep}{token}", max_age=settings.DOWNLOAD_URL_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return False
    return True


# ------------------------------------------------------------------------------
# Responses
# ------------------------------------------------------------------------------
def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback for old clients and the exact UTF-8 name (RFC 6266, RFC 5987)."""
    return f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def _ascii_fallback(name: str) -> str:
    """Accents dropped (é -> e), other non-ASCII, quotes and backslashes replaced by "_"."""
    kept = []
    for char in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(char):
            continue
        kept.append(char if " " <= char <= "~" and char not in '"\\' else "_")
    return "".join(kept).strip() or ASCII_FALLBACK_NAME


def download_response(document: Document) -> HttpResponse:
    if storage.is_object_store():
        return _redirect_to_store(document)
    if settings.DOWNLOADS_X_ACCEL:
        return _handed_to_nginx(document)
    return _streamed(document)


def _streamed(document: Document) -> FileResponse:
    response = FileResponse(storage.open_for_reading(document.storage_name), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition(document.name)
    return response


def _handed_to_nginx(document: Document) -> HttpResponse:
    """An empty answer whose headers nginx keeps while it sends the file from its internal location."""
    response = HttpResponse(content_type=document.content_type)
    response["X-Accel-Redirect"] = settings.DOWNLOADS_X_ACCEL_PREFIX + quote(document.storage_name)
    response["Content-Disposition"] = content_disposition(document.name)
    return response


def _redirect_to_store(document: Document) -> HttpResponseRedirect:
    url = storage.presigned_url(
        document.storage_name,
        content_type=document.content_type,
        content_disposition=content_disposition(document.name),
    )
    return HttpResponseRedirect(url)
