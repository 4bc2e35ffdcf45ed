"""The upload's edges: its size, enforced while the body streams in, and the name it came with."""

import unicodedata
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParserError

from erp_mif.core.errors import ApplicationError

from .choices import EXTENSIONS
from .models import NAME_MAX_LENGTH

# What a multipart body may carry besides the file: boundaries, part headers (a long unicode
# name), the kind and target fields. A body declaring more than the limit plus this is refused unread.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
FALLBACK_STEM = "document"
# A suffix longer than this is part of the name, not an extension worth keeping when truncating.
EXTENSION_MAX_LENGTH = 16


def file_too_large() -> ApplicationError:
    return ApplicationError("file_too_large", status_code=413)


class SizeLimitUploadHandler(FileUploadHandler):
    """Refuses an upload larger than UPLOAD_MAX_BYTES before the body is read, or as soon as it is exceeded.

    First in the request's handlers, it sees every chunk before Django stores it: the declared
    Content-Length is checked up front, then the bytes of the files are counted as they arrive
    and the upload is stopped (the rest of the body is not read) at the first byte too many.
    It also turns a body that ends inside a file (truncated) into a parse error: Django would
    otherwise drop that file silently.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.max_bytes = settings.UPLOAD_MAX_BYTES
        self.received = 0
        self.too_large = False
        self.interrupted = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803 - Django's name
        if content_length and content_length > self.max_bytes + MULTIPART_OVERHEAD_BYTES:
            raise file_too_large()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the data

    def upload_interrupted(self):
        self.interrupted = True

    def upload_complete(self):
        # Raised here, after Django has closed the partial files, rather than from the chunk itself.
        if self.too_large:
            raise file_too_large()
        if self.interrupted:
            raise MultiPartParserError("the body ends inside a file")


def display_name(uploaded_name: str | None, content_type: str) -> str:
    """The uploaded name fit for display and Content-Disposition: the base name only, no control
    characters, at most NAME_MAX_LENGTH characters (extension kept), unicode kept, never empty."""
    name = unicodedata.normalize("NFC", uploaded_name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if _is_visible(char))
    # Leading dots would hide the file on download; surrounding spaces are invisible.
    name = name.strip().lstrip(".").strip() or FALLBACK_STEM
    return _shorten(_with_extension_of(name, content_type))


# A JPEG is also a .jpeg; any other suffix is replaced by the detected type's.
_EXTRA_EXTENSIONS = {"jpeg"}


def _with_extension_of(name: str, content_type: str) -> str:
    """The name ending with the detected type's extension: a PDF sent as `rapport.html` is saved as
    `rapport.html.pdf`, so whoever opens the download never runs it as something else."""
    extension = EXTENSIONS[content_type]
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if suffix == extension or (extension == "jpg" and suffix in _EXTRA_EXTENSIONS):
        return name
    return f"{name}.{extension}"


def _is_visible(char: str) -> bool:
    """Not a control, format (e.g. right-to-left override), surrogate or unassigned character, nor a line break."""
    category = unicodedata.category(char)
    return not (category.startswith("C") or category in {"Zl", "Zp"})


def _shorten(name: str) -> str:
    if len(name) <= NAME_MAX_LENGTH:
        return name
    suffix = PurePosixPath(name).suffix
    if len(suffix) > EXTENSION_MAX_LENGTH:
        suffix = ""
    return name[: NAME_MAX_LENGTH - len(suffix)].rstrip() + suffix
