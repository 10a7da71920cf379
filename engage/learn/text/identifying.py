"""What in a quote could identify someone: people's names, schools and settings, places, email
addresses, phone numbers and postcodes. Staff must edit these out before a quote is approved.

Names come from rules over the text's capitals and cues ("my son …", "Mrs …", "our SENCO …")
with given-name lists: Faker's (it ships them inside its wheel, nothing is downloaded), plus
children's names it lacks (data/given_names.txt). A capitalised word that English does not
know (simplemma's dictionary) is taken as a name too, where it cannot be a sentence's first
word. Schools, settings and places come from the local area's list (ENGAGE_PLACES_FILE) and
from a capitalised word before "Primary", "Academy", "School", "Road", "Centre" and the like.

The check leans towards finding too much: a false alarm costs an edit, a miss can put a
child's name on a public page. Figures: docs/identifying-quality.md.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma
import yaml

DATA = Path(__file__).parent / "data"
DEFAULT_PLACES_FILE = DATA / "places_northmoor.yaml"
# Faker's name lists for English-speaking places and for the languages most spoken in English
# schools after English.
NAME_LOCALES = (
    "en_GB",
    "en_IE",
    "en_US",
    "en_NZ",
    "en_IN",
    "pl_PL",
    "ro_RO",
    "lt_LT",
    "pt_PT",
    "es_ES",
    "it_IT",
    "fr_FR",
    "tr_TR",
    "nl_NL",
)

NAME = "name"
SCHOOL = "school or setting"
PLACE = "place"
EMAIL = "email address"
PHONE = "phone number"
POSTCODE = "postcode"


@dataclass(frozen=True)
class Finding:
    kind: str  # one of NAME, SCHOOL, PLACE, EMAIL, PHONE, POSTCODE
    text: str


# --- word lists ----------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    loaded = yaml.safe_load((DATA / "identifying_words.yaml").read_text(encoding="utf-8"))
    return {key: _words(value) for key, value in loaded.items()}


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Lower-case given names: Faker's lists for NAME_LOCALES and Engage's own additions."""
    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            for name in getattr(provider, attribute, ()) or ():
                names.update(part.lower() for part in name.split())
    for line in (DATA / "given_names.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            names.update(line.lower().split())
    # Two letters or fewer ("Al", "Jo") are too often something else.
    return frozenset(name for name in names if len(name) > 2)


# --- schools, settings and places of the area ------------------------------------------------


def _phrase_pattern(phrase: str) -> str:
    parts = re.findall(r"[^\W_]+", phrase)
    # Full stops, apostrophes and spacing may differ: "St. Aidans" is "St Aidan's".
    return r"(?<![^\W_])" + r"[\s.'’-]*".join(re.escape(part) for part in parts) + r"(?![^\W_])"


@dataclass(frozen=True)
class AreaPlaces:
    schools: re.Pattern | None
    places: re.Pattern | None


class PlacesFileError(ValueError):
    """The area's list of schools and places cannot be read."""


@lru_cache(maxsize=8)
def _area_places(path: str, modified: float) -> AreaPlaces:
    try:
        loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise PlacesFileError(f"{path}: {error}") from error
    if not isinstance(loaded, dict):
        raise PlacesFileError(f"{path}: expected 'schools_and_settings:' and 'places:' lists")

    def compiled(key: str) -> re.Pattern | None:
        entries = loaded.get(key) or []
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise PlacesFileError(f"{path}: {key} must be a list of names")
        # Longest first, so "Oakfield Primary School" wins over "Oakfield".
        entries = sorted({e.strip() for e in entries if e.strip()}, key=len, reverse=True)
        if not entries:
            return None
        return re.compile("|".join(_phrase_pattern(e) for e in entries), re.IGNORECASE)

    return AreaPlaces(compiled("schools_and_settings"), compiled("places"))


def area_places(path: str | Path | None = None) -> AreaPlaces:
    """The area's list (the app passes ENGAGE_PLACES_FILE; else the demo area's), re-read when
    it changes."""
    path = Path(path or DEFAULT_PLACES_FILE)
    try:
        modified = path.stat().st_mtime
    except OSError as error:
        raise PlacesFileError(f"{path}: {error.strerror}") from error
    return _area_places(str(path), modified)


# --- patterns --------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?:[.!?;:\n\"“(]|^)\s*$")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame"})
# Written before a first name: "Nurse Jackie", "Auntie Pam".
_SOFT_TITLES = frozenset({"nurse", "auntie", "aunty", "aunt", "uncle", "nana", "nanna", "nan"})
# Titles people type in lower case too ("mrs jones"); not "miss", which is also a verb.
_LOWER_TITLE = re.compile(r"\b(?:mr|mrs|ms|mx|dr)\.?\s+(?P<name>[^\W\d_][\w'’-]*)")
_RELATION = re.compile(
    r"\b(?:my|our|his|her|their|the|your)\s+"
    r"(?:(?:little|older|younger|eldest|oldest|youngest|twin|big|baby|autistic|disabled|"
    r"lovely|new|old|\d+[\s-]*(?:year|yr)s?[\s-]*old)\s+)*"
    r"(?:son|daughter|child|kid|boy|girl|brother|sister|grandson|granddaughter|nephew|niece|"
    r"twins?|stepson|stepdaughter|foster\s+(?:son|daughter|child)|teacher|class\s+teacher|"
    r"therapist|doctor|consultant|paediatrician|nurse|social\s+worker|key\s*worker|"
    r"support\s+worker|case\s*worker|senco|sendco|ta|teaching\s+assistant|head\s*teacher|"
    r"head|ot|salt|physio|psychologist|ep|coordinator|co-ordinator|officer|carer|pa|mum|dad|"
    r"mother|father|husband|wife|partner|friend|grandma|grandad|nan|mentor|tutor|worker)"
    r"(?:'s\s+name|’s\s+name)?"
    r"(?:\s*,\s*|\s+)(?:(?:is|was)\s+(?:called\s+|named\s+)?|called\s+|named\s+|-\s+)?"
    r"(?P<name>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?)",
    re.IGNORECASE,
)
_INTRODUCTION = re.compile(
    r"\b(?:i\s+am|i'm|i’m|im|this\s+is|my\s+name\s+is|my\s+name's|my\s+name’s|called|named|"
    r"name\s+is)\s+(?P<name>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: 07xxx xxxxxx, 01xxx / 02x landlines, +44, with spaces, dots or dashes.
_PHONE = re.compile(r"(?:(?<![\w+])\+44\s?\(?0?\)?|(?<!\w)0)(?:[\s.-]?\d){9,10}(?!\d)")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
SCHOOL_WORDS = frozenset(
    {
        "primary",
        "academy",
        "school",
        "nursery",
        "college",
        "infants",
        "infant",
        "juniors",
        "junior",
        "pre-school",
        "preschool",
        "kindergarten",
        "montessori",
        "playgroup",
        "high",
        "grammar",
        "pru",
    }
)
PLACE_WORDS = frozenset(
    {
        "road",
        "street",
        "lane",
        "avenue",
        "close",
        "drive",
        "crescent",
        "estate",
        "park",
        "hospital",
        "surgery",
        "clinic",
        "centre",
        "library",
        "church",
        "mosque",
        "temple",
        "gurdwara",
        "chapel",
        "village",
        "town",
        "green",
    }
)
# Capitals that are names in some lists but stand for services here.
_ACRONYMS = frozenset({"lea", "ada", "sam", "nhs", "sen", "asd", "ot"})
_CONNECTORS = frozenset({"of", "and", "&", "the", "de", "la", "c", "e"})
_SAINT = re.compile(r"\b(?:St|St\.|Saint)\s+[A-Z][\w'’-]+")


@dataclass
class _Token:
    text: str
    start: int
    end: int
    first: bool  # starts a sentence (or the text)

    @property
    def lower(self) -> str:
        return re.sub(r"['’]s$", "", self.text.lower())

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() and not (len(self.text) > 1 and self.text.isupper())


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.group(0), m.start(), m.end(), bool(_SENTENCE_END.search(text[: m.start()])))
        for m in _TOKEN.finditer(text)
    ]


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """Two words written as parts of one name: a single space or hyphen between them."""
    return text[left.end : right.start] in (" ", "-")


def _unknown(word: str) -> bool:
    """A word English does not know: most likely a name."""
    return not simplemma.is_known(word, lang="en") and word not in _lists()["not_names"]


class _Finder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.findings: list[Finding] = []
        lists = _lists()
        self.not_names = lists["not_names"]
        self.word_names = lists["word_names"]
        self.given = given_names()
        words = [t for t in self.tokens if len(t.text) > 3]
        # Text Written Like A Title capitalises every word: capitals say nothing there.
        self.title_case = len(words) >= 4 and sum(t.capitalised for t in words) > 0.6 * len(words)

    def add(self, kind: str, found: str) -> None:
        found = found.strip(" ,.;:'’\"-")
        if found:
            self.findings.append(Finding(kind, found))

    def is_name_word(self, token: _Token, *, cued: bool = False) -> bool:
        """Could this word be (part of) a person's name? `cued` after "my son", "Mrs" …,
        where a lower-case given name counts too."""
        word = token.lower
        if word in self.not_names and word not in self.given:
            return False
        if token.capitalised:
            return word not in self.not_names or cued
        return cued and word in self.given and word not in self.word_names

    def surname_after(self, index: int) -> int:
        """The index just past any family name that follows the word at `index`."""
        end = index + 1
        while (
            end < len(self.tokens)
            and self.tokens[end].capitalised
            and not self.tokens[end].first
            and _adjacent(self.text, self.tokens[end - 1], self.tokens[end])
            and self.tokens[end].lower not in self.not_names
            and self.tokens[end].lower not in SCHOOL_WORDS | PLACE_WORDS
        ):
            end += 1
        return end

    def span(self, start: int, end: int) -> str:
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    def names(self) -> None:
        tokens = self.tokens
        for index, token in enumerate(tokens):
            word = token.lower
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if word in _TITLES | _SOFT_TITLES and token.capitalised and following:
                if (
                    _adjacent(self.text, token, following)
                    or self.text[token.end : following.start] == ". "
                ) and following.capitalised:
                    if word in _TITLES or following.lower in self.given:
                        self.add(NAME, self.span(index, self.surname_after(index + 1)))
                        continue
            if (
                len(token.text) > 2
                and token.text.isupper()
                and word in self.given
                and word not in self.word_names | self.not_names | _ACRONYMS
            ):
                # Written in capitals ("MY SON TOM IS 6"): a given name all the same.
                self.add(NAME, token.text)
                continue
            if not token.capitalised or self.title_case and word not in self.given:
                continue
            end = self.surname_after(index)
            has_surname = end > index + 1
            if word in self.given and word not in self.word_names and word not in self.not_names:
                self.add(NAME, self.span(index, end))
            elif word in self.given and (
                has_surname or (not token.first and word not in self.not_names)
            ):
                self.add(NAME, self.span(index, end))
            elif (
                not self.title_case
                and word not in self.not_names
                and word not in SCHOOL_WORDS | PLACE_WORDS
                and _unknown(word)
                and (not token.first or has_surname)
                and (index == 0 or tokens[index - 1].lower not in _TITLES)
            ):
                # A word English does not know, capitalised inside a sentence: a name (or a
                # place not on the area's list, which is as identifying).
                self.add(NAME, self.span(index, end))
        for match in _LOWER_TITLE.finditer(self.text):
            if match.group("name").lower() not in self.not_names:
                self.add(NAME, match.group(0))
        for pattern in (_RELATION, _INTRODUCTION):
            for match in pattern.finditer(self.text):
                candidate = [
                    t for t in tokens if match.start("name") <= t.start < match.end("name")
                ]
                if not candidate or not self.is_name_word(candidate[0], cued=True):
                    continue
                words = [candidate[0].text]
                if (
                    len(candidate) > 1
                    and candidate[1].capitalised
                    and self.is_name_word(candidate[1])
                ):
                    words.append(candidate[1].text)
                self.add(NAME, " ".join(words))

    def institutions(self) -> None:
        """A capitalised name before a school word ("Oakfield Primary") or a place word
        ("Elm Road", "Northmoor General Hospital"); "St …" names."""
        tokens = self.tokens
        descriptors = _lists()["descriptors"] | self.not_names
        for index, token in enumerate(tokens):
            kind = (
                SCHOOL
                if token.lower in SCHOOL_WORDS
                else PLACE
                if token.lower in PLACE_WORDS
                else None
            )
            if kind is None or not token.capitalised or index == 0:
                continue
            start = index
            while (
                start > 0
                and _adjacent(self.text, tokens[start - 1], tokens[start])
                and (tokens[start - 1].capitalised or tokens[start - 1].lower in _CONNECTORS)
            ):
                start -= 1
                if tokens[start].first:
                    break
            run = tokens[start:index]
            while run and (run[0].lower in descriptors | _CONNECTORS or not run[0].capitalised):
                run = run[1:]
            if any(t.lower not in descriptors | SCHOOL_WORDS | PLACE_WORDS for t in run):
                self.add(kind, self.text[run[0].start : token.end])
        for match in _SAINT.finditer(self.text):
            self.add(PLACE, match.group(0))

    def area(self, places: AreaPlaces) -> None:
        for kind, pattern in ((SCHOOL, places.schools), (PLACE, places.places)):
            if pattern is not None:
                for match in pattern.finditer(self.text):
                    self.add(kind, match.group(0))

    def contacts(self) -> None:
        for kind, pattern in ((EMAIL, _EMAIL), (PHONE, _PHONE), (POSTCODE, _POSTCODE)):
            for match in pattern.finditer(self.text):
                self.add(kind, match.group(0))


def _tidy(findings: list[Finding]) -> list[Finding]:
    """One finding per thing found: the longest wording, schools and places before names (an
    area's school is not a person), e-mail addresses before the names inside them."""
    order = {EMAIL: 0, SCHOOL: 1, PLACE: 2, PHONE: 3, POSTCODE: 4, NAME: 5}
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (order[f.kind], -len(f.text))):
        lowered = finding.text.lower()
        if any(lowered in other.text.lower() for other in kept):
            continue
        kept.append(finding)
    position = {f: findings.index(f) for f in kept}
    return sorted(kept, key=position.__getitem__)


def identifying_details(text: str, places: AreaPlaces | None = None) -> list[Finding]:
    """What in an answer could identify someone: a check before a quote is published."""
    finder = _Finder(text or "")
    finder.contacts()
    finder.area(places or area_places())
    finder.institutions()
    finder.names()
    return _tidy(finder.findings)
