"""Easy-read lint: flags easy-read wording that breaks the rules staff can act on.

The rules follow easy-read practice (Mencap "Am I making myself clear?", the Department of
Health "Making written information easier to understand"): short sentences, short words or an
explanation beside a hard one, no professional jargon left unexplained, active sentences, a
picture beside every answer, and an overall reading level children can manage.
Syllables and reading ease come from textstat 0.7.3, which uses pyphen's bundled
dictionaries and so works offline (later textstat versions fetch NLTK data at run time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import textstat

from engage.ask.definitions import parse_definition
from engage.ask.kinds import STANDARD_OPTIONS
from engage.ask.models import Survey, SurveyMode

MAX_SENTENCE_WORDS = 15
MAX_SYLLABLES = 3
# Flesch reading ease: 70+ is "fairly easy" (about age 12), the most an easy-read text should ask.
MIN_READING_EASE = 70.0
# Reading ease swings wildly on a handful of words, so a single field is scored only from here.
MIN_WORDS_TO_SCORE = 12
DATA = Path(__file__).resolve().parent / "lint_data"

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# What may follow a hard word to explain it: "respite (a short break)", "respite — a short
# break", "respite: a short break", "respite, which means ...", "respite means ...".
EXPLAINED_AFTER = re.compile(
    r"^\s*(?:\(|—|–|-\s|:|,?\s*(?:which|that|this|it)?\s*means\b|\s*is\s+when\b)", re.IGNORECASE
)
# ... or come before it: "a short break, called respite".
EXPLAINED_BEFORE = re.compile(r"\b(?:called|named|known as)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)
# ... or open the next sentence: "We will do an assessment. This means we ...".
EXPLAINED_NEXT = re.compile(r"^\s*(?:this|it|that)\s+means\b", re.IGNORECASE)

BE_VERBS = set("am is are was were be been being isn't aren't wasn't weren't".split())
SKIPPABLE = set("not also often always never already just then all still usually sometimes".split())
IRREGULAR_PARTICIPLES = set(
    """born bought brought built caught chosen done drawn driven eaten felt forgotten found
    given gone heard held hidden kept known left lost made meant met paid put read said seen
    sent set shown sold spoken taken taught thought told understood won written""".split()
)
# Words in -ed after "be" that describe a feeling or state, not a passive action.
STATE_ADJECTIVES = set(
    """allowed annoyed ashamed bored called concerned confused disabled embarrassed excited
    frightened interested involved married named pleased relaxed scared stressed supposed
    surprised tired used worried""".split()
)


@dataclass(frozen=True)
class Finding:
    """One problem: where it is (a definition path such as questions[2].easy_read_text),
    which rule, and what to do."""

    path: str
    rule: str
    message: str

    def line(self, source: str) -> str:
        return f"{source}: {self.path}: {self.message}"


@dataclass(frozen=True)
class JargonTerm:
    term: str
    plain: str
    pattern: re.Pattern


@cache
def jargon() -> tuple[JargonTerm, ...]:
    """The maintained jargon list, longest terms first so 'EHC plan' wins over a shorter one."""
    terms = []
    for raw in (DATA / "jargon.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, _, plain = (part.strip() for part in line.partition("|"))
        acronym = any(c.isupper() for c in term) and term.replace(" ", "").isupper()
        body = r"\s+".join(re.escape(word) for word in term.split())
        flags = 0 if acronym else re.IGNORECASE
        pattern = re.compile(rf"(?<![A-Za-z0-9-]){body}s?(?![A-Za-z0-9-])", flags)
        terms.append(JargonTerm(term, plain, pattern))
    return tuple(sorted(terms, key=lambda t: -len(t.term)))


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text.strip()) if part.strip()]


def words(text: str) -> list[str]:
    return WORD.findall(text)


def _explained(text: str, start: int, end: int) -> bool:
    if EXPLAINED_AFTER.match(text[end:]) or EXPLAINED_BEFORE.search(text[:start]):
        return True
    rest = text[end:]
    boundary = re.search(r"[.!?]\s+", rest)
    return bool(boundary and EXPLAINED_NEXT.match(rest[boundary.end() :]))


def syllables(word: str) -> int:
    return textstat.syllable_count(word)


def check_sentences(text: str) -> list[tuple[str, str]]:
    problems = []
    for sentence in sentences(text):
        count = len(words(sentence))
        if count > MAX_SENTENCE_WORDS:
            problems.append(
                ("sentence-length", f"sentence has {count} words (max {MAX_SENTENCE_WORDS})")
            )
    return problems


def check_jargon(text: str) -> tuple[list[tuple[str, str]], list[tuple[int, int]]]:
    """Jargon used without an explanation, and the spans of every jargon term found."""
    problems, spans = [], []
    for entry in jargon():
        for match in entry.pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in spans):
                continue
            spans.append(match.span())
            if not _explained(text, *match.span()):
                problems.append(
                    ("jargon", f"'{match.group(0)}' is jargon: explain it or say '{entry.plain}'")
                )
    return problems, spans


def check_long_words(text: str, skip: list[tuple[int, int]]) -> list[tuple[str, str]]:
    problems, seen = [], set()
    for match in WORD.finditer(text):
        word = match.group(0).strip("'’-")
        if word.isupper() or any(c.isdigit() for c in word) or word.lower() in seen:
            continue
        if any(start <= match.start() < end for start, end in skip):
            continue
        count = syllables(word)
        if count > MAX_SYLLABLES and not _explained(text, *match.span()):
            seen.add(word.lower())
            problems.append(
                (
                    "long-word",
                    f"'{word}' has {count} syllables (max {MAX_SYLLABLES}): "
                    "use a shorter word or explain it",
                )
            )
    return problems


def _participle(word: str) -> bool:
    if word in STATE_ADJECTIVES:
        return False
    return word in IRREGULAR_PARTICIPLES or (
        len(word) > 4 and word.endswith("ed") and not word.endswith("eed")
    )


def check_passive(text: str) -> list[tuple[str, str]]:
    """A form of 'be' followed (perhaps after an adverb) by a past participle."""
    problems = []
    tokens = [token.lower().replace("’", "'") for token in words(text)]
    for index, token in enumerate(tokens):
        if token not in BE_VERBS:
            continue
        following = index + 1
        while following < len(tokens) and (
            tokens[following] in SKIPPABLE or tokens[following].endswith("ly")
        ):
            following += 1
        if following < len(tokens) and _participle(tokens[following]):
            phrase = " ".join(tokens[index : following + 1])
            problems.append(
                (
                    "passive",
                    f"'{phrase}' looks passive: say who does it "
                    "(for example 'we will ...' or 'you can ...')",
                )
            )
    return problems


def reading_ease(text: str) -> float:
    return round(float(textstat.flesch_reading_ease(text)), 1)


def check_text(text: str, *, score: bool = True) -> list[tuple[str, str]]:
    """Every rule that applies to one piece of easy-read text: (rule, message) pairs."""
    if not text or not text.strip():
        return []
    problems = check_sentences(text)
    jargon_problems, spans = check_jargon(text)
    problems += jargon_problems
    problems += check_long_words(text, spans)
    problems += check_passive(text)
    if score and len(words(text)) >= MIN_WORDS_TO_SCORE:
        ease = reading_ease(text)
        if ease < MIN_READING_EASE:
            problems.append(
                ("reading-level", f"reading ease is {ease} (target {MIN_READING_EASE:g} or more)")
            )
    return problems


def _is_standard(question) -> bool:
    # Standard answer sets (scales, yes/no, about you) are the product's, not staff's wording.
    standard = STANDARD_OPTIONS.get(question.kind)
    if not standard:
        return False
    return [(o.value, o.text, o.easy_read_text) for o in question.options] == [
        (o.value, o.text, o.easy_read_text) for o in standard
    ]


def easy_read_fields(survey: Survey) -> list[tuple[str, str]]:
    """(path, text) of each piece of easy-read wording staff wrote. In an easy-read survey
    the standard wording stands in where easy-read wording is missing, so it is checked too."""
    easy = survey.mode == SurveyMode.EASY_READ
    fields = [
        ("easy_read_title", survey.easy_read_title),
        ("easy_read_description", survey.easy_read_description),
    ]
    if easy and not survey.easy_read_description:
        fields.append(("description", survey.description))
    for index, question in enumerate(survey.questions):
        here = f"questions[{index}]."
        fields.append((here + "easy_read_text", question.easy_read_text))
        fields.append((here + "easy_read_hint", question.easy_read_hint))
        if easy and not question.easy_read_text:
            fields.append((here + "text", question.text))
        if easy and not question.easy_read_hint:
            fields.append((here + "hint", question.hint))
        if _is_standard(question):
            continue
        for position, option in enumerate(question.options):
            there = f"{here}options[{position}]."
            fields.append((there + "easy_read_text", option.easy_read_text))
            if easy and not option.easy_read_text:
                fields.append((there + "text", option.text))
    return [(path, text) for path, text in fields if text and text.strip()]


def _missing_symbols(survey: Survey) -> list[Finding]:
    if survey.mode != SurveyMode.EASY_READ:
        return []
    findings = []
    for index, question in enumerate(survey.questions):
        if _is_standard(question):
            continue
        for position, option in enumerate(question.options):
            if not option.symbol:
                findings.append(
                    Finding(
                        f"questions[{index}].options[{position}].symbol",
                        "symbol",
                        "easy-read option has no symbol: add a picture beside the answer",
                    )
                )
    return findings


def survey_reading_ease(survey: Survey) -> float | None:
    """Flesch reading ease of all the survey's easy-read wording read together."""
    texts = [text.strip() for _, text in easy_read_fields(survey)]
    if not texts:
        return None
    # Titles and answers carry no full stop; without one they would merge into one sentence.
    joined = " ".join(text if text[-1] in ".!?" else text + "." for text in texts)
    return reading_ease(joined)


def _as_survey(survey_or_definition: Survey | dict[str, Any]) -> Survey:
    if isinstance(survey_or_definition, Survey):
        return survey_or_definition
    survey, _engagement = parse_definition(survey_or_definition)
    return survey


def lint_survey(survey_or_definition: Survey | dict[str, Any]) -> list[Finding]:
    """Findings for a saved Survey or a definition (a mapping as in surveys/*.yaml).
    A definition that is not valid raises SurveyDefinitionError."""
    survey = _as_survey(survey_or_definition)
    findings = [
        Finding(path, rule, message)
        for path, text in easy_read_fields(survey)
        for rule, message in check_text(text)
    ]
    findings += _missing_symbols(survey)
    ease = survey_reading_ease(survey)
    if ease is not None and ease < MIN_READING_EASE:
        findings.append(
            Finding(
                "(all easy-read text)",
                "reading-level",
                f"reading ease is {ease} (target {MIN_READING_EASE:g} or more)",
            )
        )
    return findings
