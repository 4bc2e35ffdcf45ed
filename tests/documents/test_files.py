"""The pure pieces of uploads and downloads: type detection, display names, Content-Disposition."""

import io

import pytest

from documents.detection import CONTENT_TYPES_MAX_BYTES, HEAD_BYTES, detect_content_type
from documents.downloads import content_disposition
from documents.upload import display_name
from tests.documents import samples

PDF = "application/pdf"


def detect(content: bytes) -> str | None:
    return detect_content_type(io.BytesIO(content))


# ------------------------------------------------------------------------------
# Detection
# ------------------------------------------------------------------------------
def test_detection_leaves_the_file_at_its_start():
    file = io.BytesIO(samples.docx())

    detect_content_type(file)

    assert file.tell() == 0


@pytest.mark.parametrize(
    "text",
    [
        "a,b,c\n1,2,3\n",
        "\ufeffnom;ville\nAtlas;Fès\n",
        "nom\tville\nAtlas\tRabat\n",
        'nom,adresse\nAtlas,"12, rue Ibn Batouta"\n',
    ],
    ids=["comma", "bom-semicolon", "tab", "quoted-delimiter"],
)
def test_csv_is_recognised_by_its_structure(text):
    assert detect(text.encode()) == "text/csv"


@pytest.mark.parametrize(
    "text",
    [
        "a,b,c\n1,2\n",
        "<p>Atlas, Rabat</p>\n<p>Sahara, Agadir</p>\n",
        "",
    ],
    ids=["ragged-rows", "markup", "empty"],
)
def test_text_without_a_table_structure_is_not_csv(text):
    assert detect(text.encode()) is None


def test_a_nul_byte_after_the_sample_still_refuses_the_file():
    head = ("a;b\n" * (HEAD_BYTES // 4 + 1)).encode()

    assert detect(head) == "text/csv"
    assert detect(head + b"1;\x002\n") is None


def test_a_truncated_last_sample_line_is_not_held_against_the_file():
    row = b"a" * 997 + b";b\n"  # long rows: the sample holds fewer than CSV_SAMPLE_LINES
    rows = row * (HEAD_BYTES // len(row) + 10)
    assert 0 < HEAD_BYTES % len(row) < row.index(b";"), "the sample ends inside a first field"

    assert detect(rows) == "text/csv"


def test_a_docx_named_by_filetype_but_without_a_main_part_is_refused():
    assert detect(samples.zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})) is None


def test_an_oversized_content_types_part_is_refused():
    bloated = samples.docx_parts()
    bloated["[Content_Types].xml"] += " " * CONTENT_TYPES_MAX_BYTES

    assert detect(samples.zip_of(bloated)) is None


def test_a_broken_zip_is_refused():
    assert detect(samples.docx()[:-30]) is None


def test_a_zip_with_corrupt_compressed_data_is_refused():
    archive = bytearray(samples.docx())
    first_data = 30 + len("[Content_Types].xml")  # after the first local file header and its name
    archive[first_data : first_data + 8] = b"\xff" * 8

    assert detect(bytes(archive)) is None


# ------------------------------------------------------------------------------
# Display names
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("rapport.pdf", "rapport.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ali\\devis.pdf", "devis.pdf"),
        ("Rapport e\u0301te\u0301.pdf", "Rapport été.pdf"),
        ("fact\x00ure\r\n\u202e.pdf", "facture.pdf"),
        ("ligne\u2028suivante.pdf", "lignesuivante.pdf"),
        ("  ..cache.pdf  ", "cache.pdf"),
        ("", "document.pdf"),
        (None, "document.pdf"),
        ("../", "document.pdf"),
        ("\x00\x01", "document.pdf"),
    ],
)
def test_display_name(uploaded, shown):
    assert display_name(uploaded, PDF) == shown


def test_display_name_falls_back_on_the_detected_type():
    assert display_name("..", "image/png") == "document.png"


def test_display_name_is_shortened_to_255_characters_keeping_the_extension():
    name = display_name("é" * 1000 + ".pdf", PDF)

    assert len(name) == 255
    assert name.endswith("é.pdf")


def test_a_long_suffix_is_not_taken_for_an_extension():
    name = display_name("rapport." + "x" * 1000, PDF)

    assert name == ("rapport." + "x" * 1000)[:251] + ".pdf"


# ------------------------------------------------------------------------------
# Content-Disposition
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("rapport.pdf", "attachment; filename=\"rapport.pdf\"; filename*=UTF-8''rapport.pdf"),
        (samples.UNICODE_NAME, samples.UNICODE_DISPOSITION),
        ('de"vis\\.pdf', "attachment; filename=\"de_vis_.pdf\"; filename*=UTF-8''de%22vis%5C.pdf"),
        ("مستند.pdf", "attachment; filename=\"_____.pdf\"; filename*=UTF-8''%D9%85%D8%B3%D8%AA%D9%86%D8%AF.pdf"),
    ],
    ids=["ascii", "accents", "quotes", "arabic"],
)
def test_content_disposition(name, header):
    assert content_disposition(name) == header
