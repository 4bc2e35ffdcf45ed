"""What an uploaded file is, judged from its bytes only: never from its name or the request's Content-Type.

Binary formats are recognised by their magic numbers (`filetype`). Office files are zip archives
whose parts say what they are, so they are opened: a docx or xlsx carrying macros (vbaProject.bin,
a macroEnabled, VBA or ActiveX content type) is refused like any unknown type. CSV has no magic
number: it is accepted when the whole file is UTF-8 (or Windows-1252) text without NUL bytes whose
first lines split into the same number (at least two) of fields on one delimiter.
"""

import codecs
import csv
import zipfile
import zlib
from typing import IO

import filetype

from .choices import CSV, DOCX, PDF, XLSX

# filetype reads this many leading bytes; the CSV structure is judged on as many.
HEAD_BYTES = 8192
READ_CHUNK = 64 * 1024
CSV_DELIMITERS = (";", ",", "\t", "|")
# UTF-8, then Windows-1252: what Excel writes for "CSV (séparateur: point-virgule)" on a French Windows.
CSV_ENCODINGS = ("utf-8", "cp1252")
CSV_SAMPLE_LINES = 20
# [Content_Types].xml is a few KB; reading at most this much keeps a zip bomb from inflating in memory.
CONTENT_TYPES_MAX_BYTES = 1024 * 1024

# Formats recognised from their magic numbers, as filetype names them.
_BINARY_TYPES = {PDF, "image/jpeg", "image/png", "image/webp"}
_ZIP_TYPES = {DOCX, XLSX, "application/zip"}
# The main part of each accepted Office document; the macro-enabled variants have other content types.
_OOXML_MAIN_PARTS = {
    DOCX: ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}


def detect_content_type(file: IO[bytes]) -> str | None:
    """The contract type of `file` (seekable; left at position 0), or None when it is not an accepted type."""
    try:
        head = _read_head(file)
        guessed = filetype.guess_mime(head)
        if guessed in _BINARY_TYPES:
            return guessed
        if guessed in _ZIP_TYPES:
            return _office_type(file)
        # Text has no magic number, and a few letters can look like one ("BM" opens a bitmap):
        # whatever filetype guessed, a file it did not accept may still be a CSV.
        if _is_csv(file, head):
            return CSV
        return None
    finally:
        file.seek(0)


def _read_head(file: IO[bytes]) -> bytes:
    file.seek(0)
    return file.read(HEAD_BYTES)


# ------------------------------------------------------------------------------
# Office Open XML
# ------------------------------------------------------------------------------
def _office_type(file: IO[bytes]) -> str | None:
    """DOCX or XLSX when the archive is one without macros, else None."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            content_types = _read_bounded(archive, "[Content_Types].xml")
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        # Not a zip, corrupt or truncated, no content types, encrypted or an unsupported compression:
        # not an Office document.
        return None
    if content_types is None or _has_macros(names, content_types):
        return None
    for content_type, (main_part, main_part_type) in _OOXML_MAIN_PARTS.items():
        if main_part in names and main_part_type in content_types:
            return content_type
    return None


def _read_bounded(archive: zipfile.ZipFile, name: str) -> str | None:
    with archive.open(name) as part:
        data = part.read(CONTENT_TYPES_MAX_BYTES + 1)
    if len(data) > CONTENT_TYPES_MAX_BYTES:
        return None
    return data.decode("utf-8", errors="replace")


# Content types of parts that carry code, whatever the part is named.
_CODE_PART_MARKERS = ("macroenabled", "vbaproject", "vnd.ms-office.activex", "vbadata")


def _has_macros(names: set[str], content_types: str) -> bool:
    has_vba_project = any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in names)
    declared = content_types.lower()
    return has_vba_project or any(marker in declared for marker in _CODE_PART_MARKERS)


# ------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------
def _is_csv(file: IO[bytes], head: bytes) -> bool:
    encoding = next((name for name in CSV_ENCODINGS if _is_text(file, name)), None)
    return encoding is not None and _has_delimiter_structure(head, encoding)


def _is_text(file: IO[bytes], encoding: str) -> bool:
    """The whole file decodes in `encoding` and holds no NUL byte (binary files and UTF-16 text do)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    file.seek(0)
    try:
        while chunk := file.read(READ_CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _has_delimiter_structure(head: bytes, encoding: str) -> bool:
    text = head.decode(encoding, errors="ignore").removeprefix("\ufeff")
    if text.lstrip().startswith("<"):
        # Markup (HTML, SVG, XML) is never a table, whatever commas its lines hold.
        return False
    lines = text.splitlines()
    if len(head) == HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line short
    lines = [line for line in lines[:CSV_SAMPLE_LINES] if line.strip()]
    return bool(lines) and any(_same_field_count(lines, delimiter) for delimiter in CSV_DELIMITERS)


def _same_field_count(lines: list[str], delimiter: str) -> bool:
    counts = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
    return len(counts) == 1 and counts.pop() >= 2
