"""The interface catalogues: every string of the code and templates is in the .pot (so new text
cannot skip translation), and no translation breaks a placeholder."""

from __future__ import annotations

import re
import subprocess  # noqa: S404 - runs pybabel, as `make translations` does
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from engage.catalogues import TEMPLATE_FILE, TRANSLATIONS_DIR, UNREVIEWED, review_status

REPO = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))
# %(name)s, %(num)d ... and {name}: what the code fills in.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|\{(\w+)\}")


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def placeholders(text: str) -> list[str]:
    return sorted(percent or brace for percent, brace in PLACEHOLDER.findall(text))


def test_every_string_of_the_code_and_templates_is_in_the_pot(tmp_path):
    fresh = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(pybabel),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-o",
            fresh,
            ".",
        ],
        cwd=REPO,
        check=True,
    )
    committed = {message.id for message in read(TEMPLATE_FILE) if message.id}
    missing = [message for message in read(fresh) if message.id and message.id not in committed]
    where = [f"{message.locations[0][0]}: {message.id!r}" for message in missing]
    assert not missing, "Not in messages.pot: run `make translations`\n" + "\n".join(where)


def test_there_are_catalogues_for_five_languages_one_right_to_left():
    codes = {path.parts[-3] for path in CATALOGUES}
    assert {"pl", "ro", "ur", "ar", "so"} <= codes


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_no_translation_breaks_a_placeholder(path):
    catalog = read(path)
    broken = []
    # Babel's own checks: python-format strings keep their placeholders, plural counts.
    for message, errors in catalog.check():
        broken += [f"{message.id!r}: {error}" for error in errors]
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = placeholders(ids[-1])
        values = dict.fromkeys(expected, 1)
        for string in filter(None, strings):
            if placeholders(string) != expected and not (
                # A plural form may leave the number out ("one question").
                len(ids) > 1 and set(placeholders(string)) <= set(expected)
            ):
                broken.append(f"{ids[0]!r}: placeholders {placeholders(string)} in {string!r}")
                continue
            try:
                # Templates always fill in with %, so a lone % breaks the page.
                string % values  # noqa: B018
            except (KeyError, TypeError, ValueError) as error:
                broken.append(f"{ids[0]!r}: {string!r} cannot be filled in ({error})")
    assert not broken, f"{path}:\n" + "\n".join(broken)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_catalogue_states_its_review_status(path):
    status = review_status(read(path))
    assert status == UNREVIEWED or status.startswith("reviewed by ")


def test_the_placeholder_check_catches_a_broken_translation(tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Language: pl\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, python-format\nmsgid "Signed in as %(name)s"\nmsgstr "Zalogowano jako %(imie)s"\n\n'
        'msgid "Question {number}"\nmsgstr "Pytanie {numer}"\n\n'
        'msgid "Done"\nmsgstr "100% gotowe"\n',
        encoding="utf-8",
    )
    with pytest.raises(AssertionError) as failure:
        test_no_translation_breaks_a_placeholder(broken)
    report = str(failure.value)
    assert "Signed in as" in report and "Question {number}" in report and "100% gotowe" in report
