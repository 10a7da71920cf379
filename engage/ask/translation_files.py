"""Translators' files for a survey in one language: a spreadsheet (XLSX, one row a text, the
English beside it, a context note) or XLIFF 2.0, and reading them back.

Reading back checks the whole file first and stores nothing unless every row is right:
unknown ids, rows missing, ids given twice, English changed since the file was made, and HTML
in a plain-text field are refused with a message naming the row."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from engage import content_translations as content
from engage import spreadsheet
from engage.ask import translations
from engage.ask.models import Survey
from engage.content_translations import SourceText

HEADER = ["ID", "Where", "English", "Translation", "Context note"]
ABOUT_SHEET = "About this file"
SHEET = "Translations"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MAX_ROWS = 5000


class TranslationFileError(ValueError):
    """A translator's file that cannot be read back; each problem names its row."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class FileRow:
    where: str  # "Row 7" or "Unit questions.x.text"
    field: str
    english: str
    translation: str


def _where(source: SourceText) -> str:
    return f"{source.group}: {source.label}"


# Writing ------------------------------------------------------------------------------------


def _rows(survey: Survey, language: str) -> list[tuple[SourceText, str]]:
    sources = translations.survey_texts(survey)
    states = translations.side_by_side(survey, sources, language)
    return [(state.source, state.translation) for state in states]


def xlsx_bytes(survey: Survey, language: str, now: datetime) -> bytes:
    name = content.language_name(language)
    header = [*HEADER[:3], f"Translation ({name}, {language})", HEADER[4]]
    rows = [
        [source.field, _where(source), source.english, translation, _note(source)]
        for source, translation in _rows(survey, language)
    ]
    about = [
        ["Survey", survey.slug],
        ["Language", language],
        ["Made", now.strftime("%Y-%m-%d %H:%M UTC")],
        [
            "How to fill it in",
            "Write each translation in the Translation column. Leave the ID and English "
            "columns as they are: the upload checks them.",
        ],
    ]
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    spreadsheet.write_sheet(workbook, SHEET, header, rows, widths=[30, 24, 60, 60, 40])
    spreadsheet.write_sheet(workbook, ABOUT_SHEET, ["About", "Value"], about, widths=[20, 80])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _note(source: SourceText) -> str:
    if source.rich:
        return f"{source.context} Simple HTML allowed (p, ul, li, strong, em, a)."
    return f"{source.context} Plain text: no HTML."


def xliff_text(survey: Survey, language: str) -> str:
    """XLIFF 2.0 (OASIS), one unit a text; its id is the text's id."""
    from xml.sax.saxutils import escape, quoteattr

    units = []
    for source, translation in _rows(survey, language):
        target = f"<target>{escape(translation)}</target>" if translation else ""
        state = "translated" if translation else "initial"
        units.append(
            f"    <unit id={quoteattr(source.field)} name={quoteattr(_where(source))}>\n"
            f'      <notes><note category="context">{escape(_note(source))}</note></notes>\n'
            f'      <segment state="{state}"><source>{escape(source.english)}</source>'
            f"{target}</segment>\n"
            "    </unit>"
        )
    body = "\n".join(units)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff xmlns="{XLIFF_NS}" version="2.0" srcLang="en" trgLang={quoteattr(language)}>\n'
        f"  <file id={quoteattr('survey-' + survey.slug)} original={quoteattr(survey.slug)}>\n"
        f"{body}\n"
        "  </file>\n"
        "</xliff>\n"
    )


# Reading ------------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    # Undo the export's guard against formulas: a leading ' before = + - @ and the like.
    if text.startswith("'") and text[1:].startswith(spreadsheet.FORMULA_STARTS):
        text = text[1:]
    return text


def read_xlsx(data: bytes, survey: Survey, language: str) -> list[FileRow]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TranslationFileError(["The file is not a spreadsheet (.xlsx)"])
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise TranslationFileError(["The file is not a spreadsheet (.xlsx)"]) from None
    if SHEET not in workbook.sheetnames:
        raise TranslationFileError([f"The spreadsheet has no sheet called '{SHEET}'"])
    problems = []
    if ABOUT_SHEET in workbook.sheetnames:
        about = {
            _cell(row[0]): _cell(row[1])
            for row in workbook[ABOUT_SHEET].iter_rows(min_row=2, values_only=True)
            if row and len(row) > 1
        }
        if about.get("Survey") and about["Survey"] != survey.slug:
            problems.append(f"The file is for another survey ('{about['Survey']}')")
        if about.get("Language") and about["Language"] != language:
            problems.append(
                f"The file is for another language ('{about['Language']}', not '{language}')"
            )
    if problems:
        raise TranslationFileError(problems)
    rows: list[FileRow] = []
    for number, row in enumerate(workbook[SHEET].iter_rows(values_only=True), start=1):
        cells = [_cell(value) for value in (row or ())]
        if number == 1:
            if [cell.split(" (")[0] for cell in cells[:4]] != HEADER[:4]:
                raise TranslationFileError(
                    ["Row 1: the columns must be ID, Where, English, Translation, Context note"]
                )
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if number > MAX_ROWS:
            raise TranslationFileError([f"The file has more than {MAX_ROWS} rows"])
        cells += [""] * (4 - len(cells))
        rows.append(FileRow(f"Row {number}", cells[0].strip(), cells[2], cells[3]))
    workbook.close()
    return rows


def read_xliff(data: bytes, survey: Survey, language: str) -> list[FileRow]:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise TranslationFileError(["The file is not XLIFF 2.0 (it is not readable XML)"]) from None
    ns = {"x": XLIFF_NS}
    if root.tag != f"{{{XLIFF_NS}}}xliff" or root.get("version") != "2.0":
        raise TranslationFileError(["The file is not XLIFF 2.0"])
    if root.get("trgLang") != language:
        raise TranslationFileError(
            [f"The file is for another language ('{root.get('trgLang')}', not '{language}')"]
        )
    rows = []
    for unit in root.iterfind(".//x:unit", ns):
        segment = unit.find("x:segment", ns)
        source = segment.find("x:source", ns) if segment is not None else None
        target = segment.find("x:target", ns) if segment is not None else None
        field = unit.get("id", "")
        rows.append(
            FileRow(
                f"Unit '{field}'",
                field,
                "".join(source.itertext()) if source is not None else "",
                "".join(target.itertext()) if target is not None else "",
            )
        )
        if len(rows) > MAX_ROWS:
            raise TranslationFileError([f"The file has more than {MAX_ROWS} units"])
    return rows


def check_rows(survey: Survey, language: str, rows: list[FileRow]) -> dict[str, str]:
    """The file's translations by id, once every row is right; else every problem, by row."""
    sources = {source.field: source for source in translations.survey_texts(survey)}
    problems: list[str] = []
    seen: dict[str, str] = {}
    texts: dict[str, str] = {}
    for row in rows:
        source = sources.get(row.field)
        if not row.field:
            problems.append(f"{row.where}: the ID is empty")
            continue
        if source is None:
            problems.append(f"{row.where}: '{row.field}' is not a text of this survey")
            continue
        if row.field in seen:
            problems.append(f"{row.where}: '{row.field}' is given twice (also {seen[row.field]})")
            continue
        seen[row.field] = row.where
        if content.source_hash(row.english) != source.source_hash:
            problems.append(
                f"{row.where}: the English of '{row.field}' has changed since the file was made"
                f" ({_where(source)}); download a new file and translate the new English"
            )
            continue
        cleaned, problem = content.check_text(source, row.translation)
        if problem:
            problems.append(f"{row.where}: the translation of '{row.field}' {problem}")
            continue
        texts[row.field] = cleaned
    for field, source in sources.items():
        if field not in seen:
            problems.append(
                f"'{field}' ({_where(source)}) is missing from the file: every text needs its row"
            )
    if problems:
        raise TranslationFileError(problems)
    return texts


def import_file(
    survey: Survey, language: str, filename: str, data: bytes, user_id: int | None
) -> int:
    """Read a translator's file back and store its translations (the caller commits); all or
    nothing. Returns how many translations changed."""
    content.check_language(language)
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = read_xlsx(data, survey, language)
    elif name.endswith((".xlf", ".xliff")):
        rows = read_xliff(data, survey, language)
    else:
        raise TranslationFileError(["The file must be a spreadsheet (.xlsx) or XLIFF (.xlf)"])
    texts = check_rows(survey, language, rows)
    sources = translations.survey_texts(survey)
    return translations.save(survey, sources, language, texts, user_id)
