"""Translators' files: a survey's texts for one language as a spreadsheet or XLIFF 2.0, and
reading them back, all or nothing, with every bad row named."""

from __future__ import annotations

import io

import pytest
from defusedxml import ElementTree
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from engage.ask import translations
from engage.ask.models import Question
from engage.content_translations import ContentTranslation
from engage.extensions import db
from tests.ask.translation_helpers import PARENTS, languages_app, polish, signed_in, survey

BASE = f"/staff/surveys/{PARENTS}/translations"
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


@pytest.fixture
def area(app, database_uri, demo):
    return languages_app(database_uri)


@pytest.fixture
def editor(area, make_user):
    return signed_in(area, make_user)


def _download(editor, extension="xlsx", language="pl"):
    response = editor.get(f"{BASE}/{language}.{extension}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def _fill(data: bytes, change=None) -> bytes:
    """The downloaded spreadsheet with every translation filled in ("PL <English>")."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Translations"]
    for row in sheet.iter_rows(min_row=2):
        row[3].value = polish(row[2].value.lstrip("'"))
        if change:
            change(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _upload(editor, data: bytes, name="local-offer-pl.xlsx", language="pl"):
    return editor.post(
        f"{BASE}/{language}/upload",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _stored(area) -> int:
    with area.app_context():
        return db.session.query(ContentTranslation).count()


def test_the_spreadsheet_has_one_row_a_text_with_a_bold_frozen_header(area, editor):
    workbook = load_workbook(io.BytesIO(_download(editor)))
    sheet = workbook["Translations"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["ID", "Where", "English", "Translation (Polish, pl)", "Context note"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    with area.app_context():
        texts = translations.survey_texts(survey())
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(texts)
    by_id = {row[0]: row for row in rows}
    hint = by_id["questions.used_local_offer.easy_read_hint"]
    assert hint[2] == "It tells you about help for children who need extra help to learn."
    assert hint[3] in (None, "") and "Plain text: no HTML." in hint[4]


def test_export_then_import_round_trip_offers_nothing_until_marked(area, editor):
    uploaded = _upload(editor, _fill(_download(editor)))
    assert uploaded.status_code == 303, uploaded.get_data(as_text=True)
    with area.app_context():
        texts = translations.survey_texts(survey())
    assert _stored(area) == len(texts)
    page = editor.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert f"{len(texts)} texts: 0 missing, 0 out of date" in page
    # The next download carries the translations, and uploading it again changes nothing.
    again = _upload(editor, _download(editor))
    assert again.status_code == 303
    assert "0 translations changed" in editor.get(again.headers["Location"]).get_data(as_text=True)


def test_xliff_round_trip(area, editor):
    root = ElementTree.fromstring(_download(editor, "xlf"))
    assert root.get("version") == "2.0" and root.get("trgLang") == "pl"
    for segment in root.iter(f"{XLIFF}segment"):
        source = segment.find(f"{XLIFF}source")
        target = ElementTree.fromstring("<target/>")
        target.tag = f"{XLIFF}target"
        target.text = polish(source.text)
        segment.append(target)
    from xml.etree.ElementTree import tostring  # noqa: S405 - writing, not parsing

    uploaded = _upload(editor, tostring(root, encoding="utf-8"), name="survey.xlf")
    assert uploaded.status_code == 303, uploaded.get_data(as_text=True)
    with area.app_context():
        row = db.session.scalar(
            select(ContentTranslation).where(
                ContentTranslation.field == "questions.sen_support.options.very_well.text"
            )
        )
        assert row.text == "PL Very well"


def _refused(editor, data, name="file.xlsx"):
    response = _upload(editor, data, name)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The file was not uploaded: nothing has changed" in page
    return page


def _row_of(data: bytes, field: str) -> int:
    sheet = load_workbook(io.BytesIO(data))["Translations"]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row[0] == field:
            return number
    raise AssertionError(field)


def test_an_unknown_id_is_refused_naming_its_row(area, editor):
    exported = _download(editor)
    number = _row_of(exported, "title")

    def rename(row):
        if row[0].value == "title":
            row[0].value = "questions.nothing.text"

    page = _refused(editor, _fill(exported, rename))
    assert f"Row {number}: &#39;questions.nothing.text&#39; is not a text of this survey" in page
    # The title's row is gone too, so it is missing.
    assert "&#39;title&#39; (Survey: Title) is missing from the file" in page
    assert _stored(area) == 0


def test_missing_rows_are_refused(area, editor):
    workbook = load_workbook(io.BytesIO(_fill(_download(editor))))
    sheet = workbook["Translations"]
    sheet.delete_rows(5, 2)
    output = io.BytesIO()
    workbook.save(output)
    page = _refused(editor, output.getvalue())
    assert page.count("is missing from the file: every text needs its row") == 2
    assert _stored(area) == 0


def test_english_changed_since_the_export_is_refused_naming_the_row(area, editor):
    exported = _download(editor)
    number = _row_of(exported, "questions.one_change.text")
    with area.app_context():
        question = db.session.scalar(select(Question).where(Question.key == "one_change"))
        question.text = "What would help your family most?"
        db.session.commit()
    page = _refused(editor, _fill(exported))
    assert (
        f"Row {number}: the English of &#39;questions.one_change.text&#39; has changed since "
        "the file was made"
    ) in page
    assert _stored(area) == 0


def test_html_in_a_plain_text_field_is_refused_naming_the_row(area, editor):
    exported = _download(editor)
    number = _row_of(exported, "description")

    def add_html(row):
        if row[0].value == "description":
            row[3].value = 'Krótka ankieta <a href="https://example.com">tutaj</a>'

    page = _refused(editor, _fill(exported, add_html))
    assert f"Row {number}: the translation of &#39;description&#39; has HTML in it" in page
    assert _stored(area) == 0


def test_a_file_for_another_language_or_not_a_spreadsheet_is_refused(area, editor):
    page = _refused(editor, _fill(_download(editor, language="ur")))
    assert "The file is for another language (&#39;ur&#39;, not &#39;pl&#39;)" in page
    page = _refused(editor, b"not a spreadsheet at all")
    assert "The file is not a spreadsheet (.xlsx)" in page
    page = _refused(editor, b"<x/>", name="file.txt")
    assert "The file must be a spreadsheet (.xlsx) or XLIFF (.xlf)" in page
    empty = Workbook()
    empty.active.title = "Something"
    output = io.BytesIO()
    empty.save(output)
    page = _refused(editor, output.getvalue())
    assert "The spreadsheet has no sheet called &#39;Translations&#39;" in page


def test_an_xliff_with_an_entity_bomb_is_refused(area, editor):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0">&b;</xliff>'
    )
    page = _refused(editor, bomb, name="file.xlf")
    assert "The file is not XLIFF 2.0" in page
