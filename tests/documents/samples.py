"""Minimal files of every accepted type and of the refused ones, built in memory, and raw multipart bodies.

The test client's own multipart encoder keeps only the base name of a file: bodies are built here
so that a test controls the exact filename (../../etc/passwd.pdf) and can cut a body short.
"""

import io
import uuid
import zipfile

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00\x30\x01\x00\x9d\x01\x2a\x01\x00\x01\x00"
CSV = "date;équipement;minutes\n2026-01-05;Groupe froid;45\n2026-01-06;Compresseur;30\n".encode()
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 40

# A name with accents and a dash outside Latin-1, and the Content-Disposition it downloads with.
UNICODE_NAME = "Rapport été 2026 — Fès.pdf"
UNICODE_DISPOSITION = (
    'attachment; filename="Rapport ete 2026 _ Fes.pdf"; '
    "filename*=UTF-8''Rapport%20%C3%A9t%C3%A9%202026%20%E2%80%94%20F%C3%A8s.pdf"
)

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
EXCEL_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _content_types(part: str, content_type: str, *, vba: bool = False) -> str:
    vba_default = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' if vba else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{vba_default}"
        f'<Override PartName="/{part}" ContentType="{content_type}"/>'
        "</Types>"
    )


def zip_of(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _office_parts(main_part: str, content_type: str, *, vba: bool) -> dict[str, str | bytes]:
    """The smallest Office Open XML package: content types and the main part, with a VBA project if asked."""
    parts = {"[Content_Types].xml": _content_types(main_part, content_type, vba=vba), main_part: "<root/>"}
    if vba:
        parts[main_part.split("/")[0] + "/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"
    return parts


def docx_parts(*, content_type: str = WORD_MAIN, vba: bool = False) -> dict[str, str | bytes]:
    return _office_parts("word/document.xml", content_type, vba=vba)


def docx(*, content_type: str = WORD_MAIN, vba: bool = False) -> bytes:
    return zip_of(docx_parts(content_type=content_type, vba=vba))


def xlsx(*, content_type: str = EXCEL_MAIN, vba: bool = False) -> bytes:
    return zip_of(_office_parts("xl/workbook.xml", content_type, vba=vba))


def multipart(fields: dict[str, object], *, filename: str | None = "rapport.pdf", content: bytes = PDF):
    """(body, content type) of a multipart/form-data request with `fields` and, unless filename is None, a file."""
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    if filename is not None:
        header = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        # A lying Content-Type: the server must judge the bytes, never this.
        chunks += [f"{header}Content-Type: application/pdf\r\n\r\n".encode(), content, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def docx_with_renamed_vba_part() -> bytes:
    """A docx whose VBA project hides under another name, declared only by its content type."""
    parts = docx_parts()
    parts["[Content_Types].xml"] = _content_types("word/document.xml", WORD_MAIN, vba=True)
    parts["word/macros.dat"] = b"\xd0\xcf\x11\xe0 macro"
    return zip_of(parts)


def truncated_zip() -> bytes:
    """A docx cut short: its directory promises more bytes than the archive holds."""
    whole = docx()
    return whole[:30] + whole[-22:]
