"""CSV and XLSX exports that are safe to open in Excel: every cell that could start a formula
is neutralised, and CSV follows RFC 4180.

Staff open children's words in spreadsheets (SECURITY.md row 16). A cell starting with
= + - @ | % or a tab, carriage return or NUL can run as a formula (CSV injection); it gets a
leading apostrophe, the OWASP advice. Written here rather than taken from defusedcsv, which
misses a leading tab, CR and NUL. Header cells (often question titles) are treated the same.

Exports read well in Excel: a bold header row that stays in view, with a filter; columns wide
enough to read; dates as real dates; Yes and No, not True and False.

Every export uses these helpers:

    return csv_response("answers.csv", header, rows)
    return xlsx_response("answers.xlsx", {"Answers": (header, rows)})
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "|", "%")
# Characters XML 1.0 cannot hold; openpyxl refuses them, so an XLSX cell drops them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
# Excel reads a UTF-8 CSV correctly only when it starts with a byte order mark.
BOM = "\ufeff"
# Whole Content-Type values: given as content_type, Flask adds no second charset.
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 8, 60

Cell = str | int | float | Decimal | bool | date | datetime | None


def neutralise(value: Cell) -> Cell:
    """The cell as it should be written: text that could run as a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        # Real numbers and dates are not formulas; keep them typed for XLSX.
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_cell(value: Cell) -> str:
    cell = neutralise(value)
    if isinstance(cell, datetime):
        # UTC wall-clock time in the form Excel reads as a date and time (headers say "UTC").
        if cell.tzinfo is not None:
            cell = cell.astimezone(UTC)
        return cell.strftime("%Y-%m-%d %H:%M")
    return str(cell)


def csv_lines(
    header: Sequence[Cell], rows: Iterable[Sequence[Cell]], bom: bool = True
) -> Iterator[str]:
    """The CSV one line at a time (for streaming): RFC 4180, CRLF endings, every field quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def line(cells: Sequence[Cell]) -> str:
        writer.writerow([csv_cell(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    yield (BOM if bom else "") + line(header)
    for row in rows:
        yield line(row)


def csv_text(header: Sequence[Cell], rows: Iterable[Sequence[Cell]], bom: bool = True) -> str:
    return "".join(csv_lines(header, rows, bom=bom))


def _attachment(filename: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)[:100] or "export"
    return f'attachment; filename="{safe}"'


def csv_response(filename: str, header: Sequence[Cell], rows: Iterable[Sequence[Cell]]) -> Response:
    """A streamed CSV download: rows are written as they are read, so memory stays flat."""
    return Response(
        stream_with_context(csv_lines(header, rows)),
        mimetype="text/csv",
        content_type=CSV_TYPE,
        headers={"Content-Disposition": _attachment(filename)},
    )


def xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, str):
        value = _XML_ILLEGAL.sub("", value)
    cell = neutralise(value)
    if isinstance(cell, datetime) and cell.tzinfo is not None:
        # Excel has no time zones: write UTC wall-clock time (headers should say "UTC").
        cell = cell.astimezone(UTC).replace(tzinfo=None)
    return cell


def sheet_title(title: str) -> str:
    # A title cannot take a leading apostrophe, so formula characters are dropped instead.
    cleaned = _SHEET_TITLE_ILLEGAL.sub(" ", _XML_ILLEGAL.sub("", title))
    cleaned = cleaned.lstrip("".join(FORMULA_STARTS) + "' ").rstrip("' ")
    return (cleaned or "Sheet")[:31]


def column_width(header: Cell, sample: Sequence[Cell] = ()) -> float:
    """Characters wide: enough for the header (it wraps past MAX_WIDTH) and a few values."""
    longest = max((len(csv_cell(cell)) for cell in (header, *sample)), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def write_sheet(
    workbook,
    title: str,
    header: Sequence[Cell],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[float] | None = None,
) -> None:
    """One sheet of a write-only workbook: rows go to the file as they come, never all held.

    The header is bold, wraps, stays in view (frozen) and carries an auto filter; dates are
    real dates in a readable format. Write-only sheets take column widths before the first
    row, so they come from the header (or from `widths`), not from every value."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title)
    for index, cell in enumerate(header, start=1):
        width = widths[index - 1] if widths else column_width(cell)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def heading(value: Cell):
        cell = WriteOnlyCell(sheet, value=xlsx_cell(value))
        cell.font, cell.alignment = bold, wrap
        return cell

    def typed(value: Cell):
        value = xlsx_cell(value)
        if isinstance(value, date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
            return cell
        return value

    sheet.append([heading(cell) for cell in header])
    count = 0
    for row in rows:
        sheet.append([typed(cell) for cell in row])
        count += 1
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"


def unique_titles(titles: Iterable[str]) -> Iterator[str]:
    used: set[str] = set()
    for title in titles:
        name = sheet_title(title)
        base, number = name, 2
        while name.lower() in used:
            name = f"{base[:28]} {number}"
            number += 1
        used.add(name.lower())
        yield name


def xlsx_bytes(sheets: Mapping[str, tuple[Sequence[Cell], Iterable[Sequence[Cell]]]]) -> bytes:
    """An XLSX workbook, one sheet per entry: {title: (header, rows)}; openpyxl write-only mode
    so large exports stream rows to the file instead of holding a model in memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, (header, rows) in zip(unique_titles(sheets), sheets.values(), strict=True):
        write_sheet(workbook, name, header, rows)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_response(
    filename: str, sheets: Mapping[str, tuple[Sequence[Cell], Iterable[Sequence[Cell]]]]
) -> Response:
    return Response(
        xlsx_bytes(sheets),
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": _attachment(filename)},
    )
