"""test_csv_formula_injection: any cell or header starting with = + - @ tab CR NUL | % gets a
leading apostrophe; CSV is RFC 4180 and round-trips through the csv module; XLSX likewise."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from engage.spreadsheet import (
    BOM,
    FORMULA_STARTS,
    csv_lines,
    csv_response,
    csv_text,
    neutralise,
    xlsx_bytes,
)

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\0", "|", "%")
dangerous_text = st.builds(
    lambda first, rest: first + rest, st.sampled_from(DANGEROUS), st.text(max_size=40)
)
any_text = st.text(max_size=60)
cells = st.one_of(any_text, dangerous_text)


def _read_csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :], newline="")))


def test_every_listed_start_is_covered():
    assert set(DANGEROUS) <= set(FORMULA_STARTS)


@given(dangerous_text)
def test_dangerous_cells_get_a_leading_apostrophe(value):
    assert neutralise(value) == "'" + value


@given(any_text)
def test_other_cells_are_unchanged(value):
    if not value.startswith(FORMULA_STARTS):
        assert neutralise(value) == value


@settings(max_examples=200)
@given(
    st.lists(cells, min_size=1, max_size=5),
    st.lists(st.lists(cells, min_size=1, max_size=5), max_size=5),
)
def test_csv_round_trips_with_neutralised_cells(header, rows):
    rows = [row[: len(header)] + [""] * (len(header) - len(row)) for row in rows]
    parsed = _read_csv(csv_text(header, rows))
    assert parsed == [[neutralise(cell) for cell in row] for row in [header, *rows]]
    for row in parsed:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS)


def test_csv_is_rfc_4180():
    text = csv_text(['Question "one"', '=HYPERLINK("x")'], [["line 1\r\nline 2", "a,b"]])
    body = text[len(BOM) :]
    assert body.endswith("\r\n")
    assert body.split("\r\n")[0] == '"Question ""one""","\'=HYPERLINK(""x"")"'
    assert '"line 1\r\nline 2","a,b"\r\n' in body


def test_numbers_and_dates_stay_values():
    assert neutralise(-5) == -5
    assert neutralise(3.5) == 3.5
    assert neutralise(None) == ""
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    # UTC in the form Excel reads as a date and time.
    assert _read_csv(csv_text(["n", "when"], [[-5, when]]))[1] == ["-5", "2026-03-02 09:30"]


def test_csv_streams_one_line_at_a_time():
    lines = csv_lines(["a"], ([str(n)] for n in range(3)))
    assert next(lines) == BOM + '"a"\r\n'
    assert next(lines) == '"0"\r\n'


def test_csv_download_is_an_attachment(app):
    with app.test_request_context():
        response = csv_response('answers for "x".csv', ["=1"], [["@SUM(A1)"]])
        assert (
            response.headers["Content-Disposition"] == 'attachment; filename="answers-for--x-.csv"'
        )
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert "'=1" in response.get_data(as_text=True)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(cells, min_size=1, max_size=4),
    st.lists(st.lists(cells, min_size=1, max_size=4), max_size=4),
)
def test_xlsx_cells_are_neutralised(header, rows):
    workbook = load_workbook(io.BytesIO(xlsx_bytes({"=Answers": (header, rows)})))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Answers"
    for row in sheet.iter_rows(values_only=True):
        for value in row:
            if isinstance(value, str):
                assert not value.startswith(FORMULA_STARTS), value
    first = [cell.value or "" for cell in next(sheet.iter_rows())]
    expected = [neutralise(_xml_clean(cell)) for cell in header]
    assert [_newlines(value) for value in first][: len(header)] == [
        _newlines(value) for value in expected
    ]


def _xml_clean(value: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", value)


def _newlines(value: str) -> str:
    # XML parsers read a stored CR as LF (XML 1.0 §2.11); that is not a neutralising failure.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def test_xlsx_formula_never_stored_as_formula():
    data = xlsx_bytes({"Sheet": (["=1+1"], [["=cmd|' /C calc'!A0"], ["\0=2+2"]])})
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values == ["'=1+1", "'=cmd|' /C calc'!A0", "'=2+2"]
    for row in sheet.iter_rows():
        assert row[0].data_type == "s"
