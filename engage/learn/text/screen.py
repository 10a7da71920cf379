"""The safeguarding screen: named categories of phrases over lemmas with gaps, two levels,
and the normalising that lets it read children's own spelling. No database, no app.

A phrases file (the built-in one, and an area's own through SAFEGUARDING_PHRASES_FILE):

    <adult> = mum dad stepdad uncle        a word group, used in phrases as <adult>
    [spellings]                            misspellings and run-together words
    ded = dead
    kms = kill myself
    [urgent: Physical abuse]               a level and a category: each phrase below
    <adult> * hit* me                        "*" alone is a gap of up to three words,
    punch*|kick* me                          "hit*" any word starting "hit", "a|b" either
    [concern: Neglect]
    no dinner
    [urgent if negated: Fear of home or of an adult]
    feel safe                              words of safety, flagged only when negated
    [not harm: Games and sport]
    beat* me at|in <game>                  another sense of the words: a harm phrase whose
                                           anchor word ("beat") is read here is not counted

Negation never clears a phrase: "he doesnt hit me any more" is still read by a person. A
"not harm" phrase reads one word in another sense ("beat me at fifa" is winning); the rest of
the text is screened as usual.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma
from rapidfuzz import process
from rapidfuzz.distance import OSA

from engage.learn.text import STOPWORDS, lemma, normalise


class Level(enum.Enum):
    URGENT = "urgent"
    CONCERN = "concern"


# Built-in categories: the flag shows the name; the evaluation set uses the slug.
CATEGORIES = {
    "suicide_self_harm": "Suicidal thoughts and self-harm",
    "physical_abuse": "Physical abuse",
    "sexual_abuse": "Sexual abuse, grooming or online exploitation",
    "neglect": "Neglect",
    "domestic_abuse": "Domestic abuse witnessed",
    "fear_of_home": "Fear of home or of an adult",
    "criminal_exploitation": "Criminal exploitation or county lines",
    "bullying": "Bullying with threats or violence",
    "forced_marriage_fgm_radicalisation": "Forced marriage, FGM or radicalisation",
    "running_away": "Running away or missing",
    "unreadable": "Not in English or not readable",
}
UNREADABLE = CATEGORIES["unreadable"]
LOCAL_CATEGORY = "Words on the local list"
GAP = 3  # "*" stands for up to this many words
NEGATIONS = frozenset({"not", "no", "never", "nowhere", "hardly", "rarely", "nobody", "without"})
NEGATION_WINDOW = 3

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_HEADER = re.compile(r"^\[\s*(urgent|concern)(\s+if\s+negated)?\s*:\s*(.+?)\s*\]$", re.I)
_NOT_HARM = re.compile(r"^\[\s*not\s+harm\s*:\s*(.+?)\s*\]$", re.I)
_GROUP = re.compile(r"^<([a-z_]+)>\s*=\s*(.+)$")
_SPELLING = re.compile(r"^([a-z0-9']+)\s*=\s*([a-z0-9' ]+)$")
# Emoji that say something a phrase can use; the rest are read by the readability check.
_EMOJI_WORDS = {
    "\U0001f62d": " cry ",
    "\U0001f622": " cry ",
    "\U0001f52a": " knife ",
    "\U0001f5e1": " knife ",
    "\U0001fa78": " blood ",
    "\U0001f48a": " pills ",
}
_EMOJI_TABLE = str.maketrans(_EMOJI_WORDS)
# Answers of nothing but these are read as "fine", not as unreadable.
HAPPY_EMOJI = frozenset(
    "\U0001f44d\U0001f600\U0001f603\U0001f604\U0001f601\U0001f60a\U0001f642\u2764\U0001f44c"
    "\u2b50\U0001f970\U0001f606\U0001f389\u2705\U0001f4af\U0001f60e\U0001f497\U0001f499"
    "\U0001f49a\U0001f49c\U0001f31f\U0001f44f\U0001f64f\U0001f973\U0001f60d\U0001f917"
)
# Laughing: "im dead \U0001f480" is a joke among young people, not a worry.
LAUGHING_EMOJI = frozenset("\U0001f602\U0001f923\U0001f480\u2620\U0001f606\U0001f639")
_IGNORED_MARKS = frozenset("\ufe0f\u200d\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")
# Accents English writing borrows ("cafe", "naive"); other marks say another language.
_ENGLISH_ACCENTS = frozenset("éèêëïîôçáà")
# Common words of the area's and Europe's other languages that the English word list also
# holds (or nearly): counted as not English when the screen decides whether it can read an
# answer. Words children write in English ("me", "no", "ma", "yo", "min") are left out.
OTHER_LANGUAGE_WORDS = frozenset(
    """mi padre madre pega golpea miedo tengo quiero casa ayuda estoy cuando pero muy
    je suis triste maison mon pere mere peur frappe avec pas
    nie tata mnie bije boje sie domu jest chce moja moj
    nu vreau sa merg acasa frica bate mie este si
    beni babam annem korkuyorum evde
    waxaan aabbe hooyo aabahay hooyadey garaacaa baqayaa iga wuu
    mujhe mera meri abbu ammi ghar darr lagta nahi maarta
    khayf umi beit bayt
    meu minha pai mae medo tenho""".split()
)
_WORD = re.compile(r"[^\W\d_]+")


class PhrasesFileError(ValueError):
    """A phrases file that cannot be used; names the line."""

    def __init__(self, line_number: int, message: str, source: str = "") -> None:
        self.line_number = line_number
        self.source = source
        where = ", ".join(
            part for part in (source, f"line {line_number}" if line_number else "") if part
        )
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class _Element:
    words: frozenset[str]
    prefixes: tuple[str, ...] = ()
    gap: bool = False

    @property
    def keys(self) -> frozenset[str]:
        # A word's keys are itself, its lemma and its beginnings marked "*" ("hit*" for
        # "hitting" and for "hit"): see PhraseScreen._candidates_uncached.
        return self.words | frozenset(prefix + "*" for prefix in self.prefixes)


@dataclass(frozen=True)
class _Phrase:
    elements: tuple[_Element, ...]
    label: str
    category: str
    level: Level
    negated_only: bool = False
    other_sense: bool = False  # a "not harm" phrase: see PhraseScreen.screen


@dataclass(frozen=True)
class Match:
    category: str
    level: Level
    phrase: str
    words: tuple[str, ...]  # the words as the respondent wrote them (lower case)


@dataclass(frozen=True)
class Screening:
    """What the screen found in one text. False when nothing matched; `unreadable` says why a
    text could not be read (used on children's surveys only)."""

    matches: tuple[Match, ...] = ()
    # How the text read: its words read as English, of all its words (for `unreadable`).
    text: str = field(default="", compare=False, repr=False)
    english: int = field(default=0, compare=False, repr=False)
    total: int = field(default=0, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.matches)

    def __iter__(self):
        # Reads like the old list of reasons: one label per phrase matched.
        return iter(self.reasons)

    def __len__(self) -> int:
        return len(self.matches)

    @property
    def level(self) -> Level | None:
        if not self.matches:
            return None
        if any(match.level is Level.URGENT for match in self.matches):
            return Level.URGENT
        return Level.CONCERN

    @property
    def categories(self) -> list[str]:
        """Urgent categories first, each once, in the order found."""
        ordered = sorted(self.matches, key=lambda match: match.level is not Level.URGENT)
        return list(dict.fromkeys(match.category for match in ordered))

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(match.phrase for match in self.matches))

    @property
    def words(self) -> list[str]:
        return list(dict.fromkeys(word for match in self.matches for word in match.words))

    @property
    def unreadable(self) -> str:
        """Why the text cannot be read as English ("" when it can); worked out only when
        asked, for answers to children's surveys."""
        return "" if self.matches else _unreadable(self.text, self.english, self.total)

    def as_child_answer(self) -> Screening:
        """On a children's survey an answer the screen cannot read is itself a concern."""
        why = self.unreadable
        if not why:
            return self
        return Screening((Match(UNREADABLE, Level.CONCERN, why, ()),), self.text)


@dataclass
class _Rules:
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: list[_Phrase] = field(default_factory=list)


@lru_cache(maxsize=100_000)
def _known(token: str) -> bool:
    return simplemma.is_known(token, lang="en")


class PhraseScreen:
    def __init__(self, rules: _Rules) -> None:
        self.spellings = rules.spellings
        self.phrases = rules.phrases
        # Each phrase is looked for only in texts holding a word of its most telling element
        # (its anchor: "hit*" rather than "he" in "<person> * hit* me"); most texts hold none.
        self.index: dict[str, list[_Phrase]] = {}
        self.prefix_index: dict[str, list[_Phrase]] = {}
        self.phrases = rules.phrases
        self.compiled = [
            tuple(None if element.gap else element.keys for element in phrase.elements)
            for phrase in rules.phrases
        ]
        self.anchors = [_anchor(phrase).keys for phrase in rules.phrases]
        # How many words a match can start before its anchor word: the fewest and the most.
        self.offsets = [_offsets(phrase) for phrase in rules.phrases]
        vocabulary: set[str] = set()
        prefix_lengths: set[int] = set()
        for number, phrase in enumerate(rules.phrases):
            anchor = _anchor(phrase)
            for word in anchor.words:
                self.index.setdefault(word, []).append(number)
            for prefix in anchor.prefixes:
                self.prefix_index.setdefault(prefix, []).append(number)
            for element in phrase.elements:
                vocabulary.update(element.words)
                vocabulary.update(element.prefixes)
                prefix_lengths.update(len(prefix) for prefix in element.prefixes)
        self.prefix_lengths = sorted(prefix_lengths)
        # Fuzzy matching corrects unknown words towards the words the phrases use.
        self.keywords = sorted(word for word in vocabulary if len(word) >= 4 and word.isalpha())
        self.vocabulary = frozenset(vocabulary) | frozenset(rules.spellings)
        self._canonical = lru_cache(maxsize=100_000)(self._canonical_uncached)
        self._candidates = lru_cache(maxsize=100_000)(self._candidates_uncached)

    def _candidates_uncached(self, word: str, form: str) -> tuple[frozenset[str], tuple[int, ...]]:
        """A word's keys, and the phrases whose anchor it is (most words anchor none)."""
        keys = {word, form}
        for length in self.prefix_lengths:
            keys.update(each[:length] + "*" for each in (word, form) if len(each) >= length)
        found: list[int] = []
        for key in keys:
            if key.endswith("*"):
                found += self.prefix_index.get(key[:-1], ())
            else:
                found += self.index.get(key, ())
        return frozenset(keys), tuple(sorted(set(found)))

    # -- normalising ------------------------------------------------------------------------

    def _canonical_uncached(self, token: str) -> tuple[tuple[tuple[str, str], ...], bool]:
        """A written token as (lemma, form) pairs, and whether it reads as English."""
        # "don't", "dont" and "mum's" are read the same: apostrophes are often left out.
        token = token.replace("'", "")
        mapped = self.spellings.get(token)
        if mapped is not None:
            return tuple((lemma(word), word) for word in mapped), True
        if token in OTHER_LANGUAGE_WORDS:
            return ((lemma(token), token),), False
        if _known(token) or token.isdigit():
            return ((lemma(token), token),), True
        if len(token) < 3:
            return ((token, token),), False
        repaired = _sounded_out(token, self.vocabulary)
        if repaired:
            return ((lemma(repaired), repaired),), True
        split = self._split(token)
        if split:
            return tuple((lemma(word), word) for word in split), True
        corrected = self._fuzzy(token)
        if corrected:
            return ((lemma(corrected), corrected),), True
        return ((lemma(token), token),), False

    def _split(self, token: str) -> tuple[str, ...] | None:
        # Run-together words ("killmyself", "nofood"): two known words, one of them a key word.
        if len(token) < 6:
            return None
        for cut in range(2, len(token) - 1):
            left, right = token[:cut], token[cut:]
            if (left in self.vocabulary or right in self.vocabulary) and all(
                part in self.spellings or (len(part) > 1 and _known(part)) for part in (left, right)
            ):
                words = tuple(
                    word for part in (left, right) for word in self.spellings.get(part, (part,))
                )
                # "boyfrend" is "boy" + "frend": read as the key word they make, "boyfriend".
                joined = "".join(words)
                return (joined,) if joined in self.vocabulary else words
        return None

    def _fuzzy(self, token: str) -> str | None:
        if len(token) < 4 or not token.isalpha():
            return None
        limit = 1 if len(token) < 8 else 2
        found = process.extractOne(token, self.keywords, scorer=OSA.distance, score_cutoff=limit)
        return found[0] if found else None

    def _words(self, text: str) -> tuple[list[str], list[str], list[str], int, int]:
        """Lemmas, forms and written tokens per position; tokens read as English, of all."""
        normalised = normalise(text).translate(_EMOJI_TABLE)
        words, forms, written = [], [], []
        english = total = 0
        canonical = self._canonical
        for token in _TOKEN.findall(normalised):
            pairs, readable = canonical(token)
            if not token.isdigit():
                total += 1
                english += readable
            for word, form in pairs:
                words.append(word)
                forms.append(form)
                written.append(token)
        return words, forms, written, english, total

    # -- matching -------------------------------------------------------------------------

    @staticmethod
    def _end(elements: tuple, keys: Sequence[frozenset[str]], start: int, at: int = 0) -> int:
        """Where the phrase's elements from `at` end when they start at word `start`; -1 when
        they do not match there. None stands for a gap."""
        position = start
        for number in range(at, len(elements)):
            element = elements[number]
            if element is None:
                for skip in range(GAP + 1):
                    if position + skip > len(keys):
                        break
                    end = PhraseScreen._end(elements, keys, position + skip, number + 1)
                    if end >= 0:
                        return end
                return -1
            if position >= len(keys) or element.isdisjoint(keys[position]):
                return -1
            position += 1
        return position

    def screen(self, text: str) -> Screening:
        words, forms, written, english, total = self._words(text)
        candidates_of = self._candidates
        keys: list[frozenset[str]] = []
        candidates: dict[int, list[int]] = {}  # phrase: the first and last anchor position
        for position, (word, form) in enumerate(zip(words, forms, strict=True)):
            word_keys, anchored = candidates_of(word, form)
            keys.append(word_keys)
            for number in anchored:
                seen_at = candidates.get(number)
                if seen_at is None:
                    candidates[number] = [position, position]
                else:
                    seen_at[1] = position
        if not candidates:
            return Screening((), text, english, total)
        found: list[Match] = []
        other_senses: set[int] = set()  # words "not harm" phrases read in another sense
        seen: set[str] = set()
        # "Not harm" phrases first, so that a harm phrase is looked for past the words they read.
        phrases = self.phrases
        for number in sorted(candidates, key=lambda at: (not phrases[at].other_sense, at)):
            phrase = self.phrases[number]
            if phrase.label in seen:
                continue
            elements = self.compiled[number]
            first = elements[0]
            fewest, most = self.offsets[number]
            first_anchor, last_anchor = candidates[number]
            for position in range(max(0, first_anchor - most), last_anchor - fewest + 1):
                if first.isdisjoint(keys[position]):
                    continue
                end = self._end(elements, keys, position)
                if end < 0:
                    continue
                anchor = self.anchors[number]
                anchor_at = frozenset(
                    where for where in range(position, end) if not anchor.isdisjoint(keys[where])
                )
                if phrase.other_sense:
                    other_senses.update(range(position, end))
                    continue
                if anchor_at and anchor_at <= other_senses:
                    continue
                start = position
                if phrase.negated_only:
                    start = max(0, position - NEGATION_WINDOW)
                    window = words[start:position]
                    if NEGATIONS.isdisjoint(window):
                        continue
                    # The matched words begin at the negation nearest the phrase.
                    start += max(at for at, word in enumerate(window) if word in NEGATIONS)
                seen.add(phrase.label)
                label = f"not {phrase.label}" if phrase.negated_only else phrase.label
                matched = tuple(dict.fromkeys(written[start:end]))
                found.append(Match(phrase.category, phrase.level, label, matched))
                break
        return Screening(tuple(found), text, english, total)

    def reasons(self, text: str, _text_lemmas: Sequence[str] | None = None) -> Screening:
        """The screening of a text (the analyser passes its lemmas; the screen re-reads the
        text with its own spelling map, so they are not needed)."""
        return self.screen(text)


# Words too common to tell a phrase apart: never chosen as its anchor if another will do.
_COMMON = STOPWORDS | frozenset(
    """not no mum dad he she they someone people man boy boys get go want home like feel here
    time take call need care all see look tell told come back day night""".split()
)


# The words found in most answers: a phrase made only of common words is anchored on its
# least common one ("home" in "not want go home", not "not").
_COMMONEST = frozenset(
    """the a an and i to of in it is was my me not no do did does have had has on at for with
    be that this they you we he she but so all are our""".split()
)


def _offsets(phrase: _Phrase) -> tuple[int, int]:
    """How many words before its anchor a match of the phrase can start: (fewest, most)."""
    before = phrase.elements[: phrase.elements.index(_anchor(phrase))]
    words = sum(1 for element in before if not element.gap)
    return words, words + GAP * (len(before) - words)


def _anchor(phrase: _Phrase) -> _Element:
    elements = [element for element in phrase.elements if not element.gap]
    return min(
        elements,
        key=lambda element: (
            any(word in _COMMONEST for word in element.words),
            any(word in STOPWORDS for word in element.words),
            any(word in _COMMON for word in element.words),
            len(element.words) + 3 * len(element.prefixes),
        ),
    )


_VOWELS = frozenset("aeiouy")


def _sound_outs(token: str) -> list[str]:
    """Words a word spelt as it sounds may stand for, most likely first."""
    tried: list[str] = []
    if token.endswith("in"):
        tried.append(token + "g")  # "thinkin"
    if token[-1] in "ds" and token[-2] not in _VOWELS and token[-2] != token[-1]:
        if token[-1] == "d" and not token.endswith("ed"):
            tried.append(token[:-1] + "ed")  # "smashd"
        if len(token) >= 4 and token[-3] in _VOWELS:
            tried.append(token[:-1] + "e" + token[-1])  # "maks" makes
    if token.endswith("z"):
        tried.append(token[:-1] + "s")  # "hitz"
    if "wiv" in token:
        tried.append(token.replace("wiv", "with"))  # "wivout"
    # A "k" sound written "k" ("smak", "kikd"): "ck".
    tried += [
        token[:at] + "c" + token[at:]
        for at in range(1, len(token))
        if token[at] == "k" and token[at - 1] in _VOWELS
    ]
    # One letter where the word has two ("beter", "til"), or two where it has one.
    for at in range(1, len(token)):
        letter = token[at]
        if letter in _VOWELS:
            continue
        if token[at - 1] == letter:
            tried.append(token[:at] + token[at + 1 :])
        elif token[at - 1] in _VOWELS:
            tried.append(token[: at + 1] + token[at:])
    return tried


def _sounded_out(token: str, vocabulary: frozenset[str]) -> str | None:
    """An English word a word spelt as it sounds most likely stands for ("thinkin" thinking,
    "smashd" smashed, "maks" makes, "beter" better, "wivout" without), or None. Only the usual
    ways children sound words out are tried, one or two of them together, and only a known
    word is accepted: one the phrases use first."""
    if len(token) < 3 or not token.isalpha():
        return None
    first = _sound_outs(token)
    tried = first + [again for each in first for again in _sound_outs(each)]
    known = [candidate for candidate in dict.fromkeys(tried) if _known(candidate)]
    for candidate in known:
        if candidate in vocabulary or lemma(candidate) in vocabulary:
            return candidate
    return known[0] if known else None


def _unreadable(text: str, english: int, total: int) -> str:
    """Why a text cannot be read as English, or "" when it can (or says nothing)."""
    letters = other_script = 0
    emoji: list[str] = []
    for char in text:
        if char.isalpha():
            letters += 1
            other_script += not char.isascii()
        elif char not in _IGNORED_MARKS and unicodedata.category(char) == "So":
            emoji.append(char)
    worrying = set(emoji) - HAPPY_EMOJI - LAUGHING_EMOJI
    if not letters:
        return "Only emoji or symbols" if worrying else ""
    if other_script * 2 > letters:
        return "Not in English"
    words = _WORD.findall(text.lower())
    if worrying and len(emoji) > len(words):
        return "Mostly emoji or symbols"
    accented = sum(1 for word in words if not set(word) <= _ENGLISH_ACCENTS | _ASCII)
    if accented * 4 >= len(words):
        return "Not in English"
    if total == 1 and not english:
        return "Not a word the screen knows"
    if total > 1 and english * 10 < total * 6:
        return "Not in English"
    return ""


_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz")


# -- the phrases file -----------------------------------------------------------------------


def _element(word: str, groups: dict[str, tuple[str, ...]], number: int, source: str):
    if word == "*":
        return _Element(frozenset(), gap=True)
    words: set[str] = set()
    prefixes: list[str] = []
    alternatives = word.split("|")
    while alternatives:
        alternative = alternatives.pop()
        if alternative.startswith("<") and alternative.endswith(">"):
            name = alternative[1:-1]
            if name not in groups:
                raise PhrasesFileError(number, f"unknown word group <{name}>", source)
            alternatives.extend(groups[name])
        elif alternative.endswith("*") and len(alternative) > 1:
            stem = alternative[:-1]
            if not _TOKEN.fullmatch(stem) or len(stem) < 3:
                raise PhrasesFileError(number, f"'{alternative}': start with 3 letters", source)
            prefixes.append(stem)
        elif _TOKEN.fullmatch(alternative):
            words.add(alternative)
            words.add(lemma(alternative))
        else:
            raise PhrasesFileError(number, f"'{alternative}' is not a word", source)
    return _Element(frozenset(words), tuple(prefixes))


def _phrase_elements(line: str, rules: _Rules, number: int, source: str) -> list[_Element]:
    elements: list[_Element] = []
    for word in normalise(line).replace("'", "").split():
        mapped = rules.spellings.get(word)
        if mapped:
            elements.extend(_Element(frozenset({each, lemma(each)})) for each in mapped)
        else:
            elements.append(_element(word, rules.groups, number, source))
    if not elements or elements[0].gap:
        raise PhrasesFileError(number, "a phrase cannot start with a gap (*)", source)
    if elements[-1].gap:
        raise PhrasesFileError(number, "a phrase cannot end with a gap (*)", source)
    return elements


def parse_rules(text: str, source: str = "", rules: _Rules | None = None) -> _Rules:
    """Read a phrases file onto `rules` (a copy); raises PhrasesFileError naming the line."""
    rules = (
        _Rules(dict(rules.groups), dict(rules.spellings), list(rules.phrases))
        if rules
        else _Rules()
    )
    section: tuple[str, Level, bool, bool] | None = None
    in_spellings = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        group = _GROUP.match(line)
        if group:
            items = tuple(group.group(2).lower().replace("'", "").split())
            for item in items:  # checked now, so that a mistake names this line
                _element(item, rules.groups, number, source)
            rules.groups[group.group(1)] = items
            continue
        if line.startswith("["):
            if not line.endswith("]"):
                raise PhrasesFileError(number, f"'{line}': a heading ends with ]", source)
            name = line[1:-1].strip().lower()
            in_spellings = name == "spellings"
            if in_spellings:
                continue
            header = _HEADER.match(line)
            not_harm = _NOT_HARM.match(line)
            if name == "concern":  # the first version of the file: flagged and e-mailed
                section = (LOCAL_CATEGORY, Level.URGENT, False, False)
            elif name == "safe":
                section = (LOCAL_CATEGORY, Level.URGENT, True, False)
            elif not_harm:
                section = (" ".join(not_harm.group(1).split()), Level.CONCERN, False, True)
            elif header:
                category = " ".join(header.group(3).split())
                if len(category) > 80:
                    why = "a category name has 80 characters at most"
                    raise PhrasesFileError(number, why, source)
                section = (category, Level(header.group(1).lower()), bool(header.group(2)), False)
            else:
                raise PhrasesFileError(
                    number,
                    f"unknown heading {line}: use [urgent: category], [concern: category], "
                    "[urgent if negated: category], [not harm: name] or [spellings]",
                    source,
                )
            continue
        if in_spellings:
            spelling = _SPELLING.match(normalise(line))
            if not spelling:
                raise PhrasesFileError(number, f"'{line}': write it as misspelling = word", source)
            rules.spellings[spelling.group(1).replace("'", "")] = tuple(
                spelling.group(2).replace("'", "").split()
            )
            continue
        if section is None:
            raise PhrasesFileError(number, "a phrase before any [level: category] heading", source)
        category, level, negated_only, other_sense = section
        elements = _phrase_elements(line, rules, number, source)
        if other_sense and sum(not element.gap for element in elements) < 2:
            # One word alone would stop every phrase anchored on it, everywhere.
            why = "a [not harm] phrase needs two words or more: the word and what shows its sense"
            raise PhrasesFileError(number, why, source)
        label = " ".join(line.split())
        rules.phrases.append(
            _Phrase(tuple(elements), label, category, level, negated_only, other_sense)
        )
    return rules


def parse_phrases(text: str, source: str = "", base: Iterable[_Rules] = ()) -> PhraseScreen:
    rules = None
    for earlier in base:
        rules = earlier
    return PhraseScreen(parse_rules(text, source, rules))
