"""Paper and posters: the short reference printed on every page of a paper form (staff enter
the form under it), the short link, and the poster's QR code (drawn by segno, offline)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from io import BytesIO

import segno
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from engage.ask.models import Question, QuestionKind, Survey
from engage.extensions import db
from engage.listen.questions import option_wording

# No I, L, O or U: a reference copied by hand from paper is not misread.
CHECK_LETTERS = "ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE = re.compile(r"^([0-9]{1,9})([A-Z])$")


def _check_letter(survey_id: int) -> str:
    # One letter from a hash of the number: a mistyped digit is caught 21 times in 22.
    digest = hashlib.sha256(f"engage-survey-{survey_id}".encode()).digest()
    return CHECK_LETTERS[int.from_bytes(digest[:4], "big") % len(CHECK_LETTERS)]


def reference(survey: Survey) -> str:
    """The survey's number and a check letter, e.g. 12K."""
    return f"{survey.id}{_check_letter(survey.id)}"


def find_by_reference(text: str) -> Survey | None:
    """The survey a written reference names ('12K', ' 12 k ', 'Ref 12-K'), or None when it
    names none or its check letter does not match."""
    cleaned = re.sub(r"[^0-9A-Z]", "", (text or "").upper().removeprefix("REF"))
    match = REFERENCE.match(cleaned)
    if match is None:
        return None
    survey_id, letter = int(match.group(1)), match.group(2)
    if letter != _check_letter(survey_id):
        return None
    return db.session.scalar(select(Survey).where(Survey.id == survey_id))


def _site(endpoint: str, **values) -> str:
    # The public address, as printed: a poster outlives the request that made it.
    site = current_app.config.get("SITE_URL") or ""
    if site:
        return site + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def survey_address(survey: Survey) -> str:
    return _site("listen.start", slug=survey.slug)


def short_address(survey: Survey) -> str:
    return _site("listen.short_link", code=reference(survey))


def qr_code(survey: Survey) -> segno.QRCode:
    """A QR code of the survey's address; error correction 'quartile', so a poster with a
    crease or a pin through it still scans."""
    return segno.make(survey_address(survey), error="q", micro=False)


def qr_data_uri(survey: Survey) -> str:
    return qr_code(survey).svg_data_uri(scale=8, border=4, dark="#0b0c0c")


def qr_svg(survey: Survey) -> str:
    out = BytesIO()
    qr_code(survey).save(out, kind="svg", scale=10, border=4, xmldecl=True)
    return out.getvalue().decode("utf-8")


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    question: Question
    # How to answer it on paper, and when to (skip logic in words).
    instruction: str
    condition: str | None
    # Lines to write on, for free text: more for longer answers.
    lines: int


def instruction(question: Question, easy_read: bool) -> str:
    if question.kind == QuestionKind.FREE_TEXT:
        return _("Write your answer in the box.") if not easy_read else _("Write here.")
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return _("Tick all that apply.") if not easy_read else _("Tick all the boxes you want.")
    return _("Tick one box.")


def paper_questions(survey: Survey, easy_read: bool) -> list[PaperQuestion]:
    """Every question, numbered, with how to answer it and which earlier answer it follows."""
    numbers = {question.key: index for index, question in enumerate(survey.questions, start=1)}
    by_key = {question.key: question for question in survey.questions}
    result = []
    for question in survey.questions:
        condition = None
        target = by_key.get(question.show_if_key or "")
        if target is not None:
            answer = next(
                (
                    option_wording(o, easy_read)
                    for o in target.options
                    if o.value == question.show_if_value
                ),
                question.show_if_value,
            )
            condition = _(
                "Only answer this if you ticked ‘%(answer)s’ for question %(number)s.",
                answer=answer,
                number=numbers[target.key],
            )
        lines = max(3, min(10, question.max_length // 200))
        result.append(
            PaperQuestion(
                numbers[question.key], question, instruction(question, easy_read), condition, lines
            )
        )
    return result


def _css_string(text: str) -> str:
    return '"' + re.sub(r'["\\\n]', lambda m: "\\" + format(ord(m.group()), "x") + " ", text) + '"'


def print_stylesheet(survey: Survey) -> str:
    """A4 pages with the reference in the top margin of each and the page number below, in
    the page's margin boxes, so they never cover a question."""
    label = _css_string(_("Survey reference %(reference)s", reference=reference(survey)))
    # One sentence, the page numbers placed where the language puts them, as CSS counters.
    numbered = _("Page %(page)s of %(pages)s", page="\0page\0", pages="\0pages\0")
    page_of = " ".join(
        f"counter({part})" if index % 2 else _css_string(part)
        for index, part in enumerate(numbered.split("\0"))
        if part or index % 2
    )
    return (
        "@page {\n"
        "  size: A4;\n"
        "  margin: 18mm 15mm 18mm;\n"
        f"  @top-right {{ content: {label}; font: bold 12pt Arial, sans-serif; }}\n"
        f"  @bottom-right {{ content: {page_of}; font: 11pt Arial, sans-serif; }}\n"
        "}\n"
    )
