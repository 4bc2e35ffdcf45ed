"""CSV exports as the contract's `csv` convention says: UTF-8 with BOM, ';', a header row of the
contract's field names, ISO 8601 dates in Africa/Casablanca, and no formula injection. Streamed."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action

# Spreadsheets evaluate cells starting with these; a leading quote keeps them text (OWASP CSV injection).
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK = 1000


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_TRIGGERS) else value
    return value


def csv_lines(header: list[str], rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(row.get(field)) for field in header])


def csv_response(header: list[str], rows: Iterable[dict], basename: str) -> StreamingHttpResponse:
    filename = f"{basename}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CsvExportMixin:
    """Adds GET <list>/export/: the list's filters, search and ordering, every row, as CSV.

    Rows are the list serializer's output, so the export and the API always agree; the viewset
    declares `export_fields` (contract names, in order) and `export_basename`.
    """

    export_fields: list[str]
    export_basename: str

    @extend_schema(filters=True, responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None)
    def export(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        # One serializer for every row: building one per row (binding its fields) costs more than the row.
        serializer = self.get_serializer()
        rows = (serializer.to_representation(obj) for obj in queryset.iterator(chunk_size=EXPORT_CHUNK))
        return csv_response(self.export_fields, rows, self.export_basename)
