"""Easy-read lint: each rule with wording that breaks it and wording that passes."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engage.ask.commands import lint_command
from engage.ask.lint import MIN_READING_EASE, check_text, jargon, lint_survey

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"

EASY_SURVEY = {
    "slug": "lint-example",
    "title": "Lint example",
    "easy_read_title": "Your school",
    "easy_read_description": "Tell us about your school.",
    "audience": "young_people",
    "mode": "easy_read",
    "questions": [
        {
            "key": "like_school",
            "kind": "yes_no",
            "text": "Do you like school?",
            "easy_read_text": "Do you like school?",
            "symbol": "1F3EB",
        },
        {
            "key": "best_thing",
            "kind": "single_choice",
            "text": "What is the best thing?",
            "easy_read_text": "What is the best thing?",
            "options": [
                {
                    "value": "friends",
                    "text": "Friends",
                    "easy_read_text": "My friends",
                    "symbol": "1F46B",
                },
                {"value": "games", "text": "Games", "easy_read_text": "Games", "symbol": "1F3B2"},
            ],
        },
    ],
}


def rules(text: str) -> list[str]:
    return [rule for rule, _message in check_text(text)]


def with_question_text(text: str, field: str = "easy_read_text") -> dict:
    definition = copy.deepcopy(EASY_SURVEY)
    definition["questions"][1][field] = text
    return definition


def test_clean_survey_has_no_findings():
    assert lint_survey(EASY_SURVEY) == []


def test_long_sentence_is_flagged_with_its_word_count():
    long = (
        "When you go to school in the morning do you feel happy and ready to learn "
        "with your friends?"
    )
    findings = lint_survey(with_question_text(long))
    assert [(f.path, f.message) for f in findings if f.rule == "sentence-length"] == [
        ("questions[1].easy_read_text", "sentence has 19 words (max 15)")
    ]


def test_short_sentences_pass():
    assert "sentence-length" not in rules("Do you go to school? Do you feel happy there?")


def test_long_word_without_explanation_is_flagged():
    found = check_text("Tell us about your understanding of maths.")
    assert (
        "long-word",
        "'understanding' has 4 syllables (max 3): use a shorter word or explain it",
    ) in found


@pytest.mark.parametrize(
    "text",
    [
        "Tell us about your understanding (what you know) of maths.",
        "Tell us about your understanding — what you know — of maths.",
        "Understanding means knowing what something is.",
        "We want your understanding. This means what you know.",
        "Short words are best.",
    ],
)
def test_long_word_with_an_explanation_or_short_words_pass(text):
    assert "long-word" not in rules(text)


@pytest.mark.parametrize(
    "text, term",
    [
        ("Do you have an EHCP?", "EHCP"),
        ("Did your SENCO help you?", "SENCO"),
        ("Have you been to CAMHS?", "CAMHS"),
        ("Tell us about the provision at your school.", "provision"),
        ("We are changing the commissioning of therapy.", "commissioning"),
        ("How was your transition to college?", "transition"),
    ],
)
def test_jargon_without_explanation_is_flagged(text, term):
    found = [message for rule, message in check_text(text) if rule == "jargon"]
    assert len(found) == 1 and found[0].startswith(f"'{term}' is jargon")


@pytest.mark.parametrize(
    "text",
    [
        "Did your SENCO (the teacher who helps you) listen to you?",
        "Have you been to CAMHS — the team that helps with feelings?",
        "Respite means a short break.",
        "Did you get a short break, called respite?",
        "Did your teacher help you?",
    ],
)
def test_explained_jargon_and_plain_words_pass(text):
    assert "jargon" not in rules(text)


def test_acronyms_match_only_in_capitals():
    # "send" is an everyday verb; only "SEND" is the acronym.
    assert "jargon" not in rules("We will send you a letter.")
    assert "jargon" in rules("Do you have SEND?")


def test_jargon_list_is_maintained_and_long_enough():
    terms = {entry.term for entry in jargon()}
    assert len(terms) >= 30
    assert {
        "EHCP",
        "EHC plan",
        "SENCO",
        "CAMHS",
        "provision",
        "commissioning",
        "multi-agency",
        "statutory",
        "assessment",
        "transition",
        "respite",
    } <= terms


@pytest.mark.parametrize(
    "text",
    [
        "Your answers will be read by staff.",
        "The form was sent to school.",
        "You were given a plan.",
    ],
)
def test_passive_voice_is_flagged(text):
    assert "passive" in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Staff will read your answers.",
        "Are you worried about school?",
        "I am tired after school.",
        "This is called a plan.",
    ],
)
def test_active_voice_and_feelings_pass(text):
    assert "passive" not in rules(text)


def test_easy_read_option_without_symbol_is_flagged():
    definition = copy.deepcopy(EASY_SURVEY)
    del definition["questions"][1]["options"][1]["symbol"]
    findings = lint_survey(definition)
    assert [(f.path, f.rule) for f in findings] == [("questions[1].options[1].symbol", "symbol")]


def test_options_without_symbols_pass_in_a_standard_survey():
    definition = copy.deepcopy(EASY_SURVEY)
    definition["mode"] = "standard"
    for option in definition["questions"][1]["options"]:
        del option["symbol"]
    assert lint_survey(definition) == []


def test_hard_reading_level_is_flagged_with_its_score():
    hard = (
        "Consideration regarding educational accommodation necessitates comprehensive "
        "evaluation. Organisational responsibilities require significant "
        "collaboration."
    )
    found = [message for rule, message in check_text(hard) if rule == "reading-level"]
    assert len(found) == 1
    score = float(found[0].split("reading ease is ")[1].split(" ")[0])
    assert score < MIN_READING_EASE
    assert found[0].endswith(f"(target {MIN_READING_EASE:g} or more)")


def test_easy_reading_level_passes():
    easy = "We want to know what you think. Tell us what is good. Tell us what is bad at school."
    assert "reading-level" not in rules(easy)


def test_standard_wording_is_checked_where_easy_read_wording_is_missing():
    definition = copy.deepcopy(EASY_SURVEY)
    del definition["questions"][1]["easy_read_text"]
    definition["questions"][1]["text"] = "Tell us about the provision at your school."
    findings = lint_survey(definition)
    assert [(f.path, f.rule) for f in findings] == [("questions[1].text", "jargon")]


def test_lint_accepts_a_survey_model():
    from engage.ask.definitions import parse_definition

    survey, _engagement = parse_definition(with_question_text("Do you have an EHCP?"))
    assert [f.rule for f in lint_survey(survey)] == ["jargon"]


def test_command_prints_file_and_path_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(with_question_text("Did your SENCO help you?")))
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(EASY_SURVEY))
    result = CliRunner().invoke(lint_command, [str(good), str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{good}: ok (reading ease ")
    assert lines[1].startswith(f"{bad}: questions[1].easy_read_text: 'SENCO' is jargon")


def test_command_reports_an_invalid_definition(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("slug: x\n")
    result = CliRunner().invoke(lint_command, [str(broken)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{broken}: title: is required")


@pytest.mark.parametrize("path", sorted(SURVEYS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_survey_passes(path):
    result = CliRunner().invoke(lint_command, [str(path)])
    assert result.exit_code == 0, result.output
