"""Survey definitions as YAML: exact round trip, and every kind of bad file refused with the
file, the field path and the reason, importing nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from engage.ask.definitions import (
    SurveyDefinitionError,
    dump_yaml,
    export_definition,
    import_definition,
    load_yaml,
)
from engage.ask.models import Question, Survey
from engage.extensions import db
from tests.conftest import REPO

SURVEYS = sorted((REPO / "surveys").glob("*.yaml"))
MINIMAL = {
    "slug": "tiny",
    "title": "Tiny survey",
    "audience": "everyone",
    "mode": "standard",
    "questions": [
        {
            "key": "colour",
            "kind": "single_choice",
            "text": "Pick one",
            "options": [{"value": "red", "text": "Red"}, {"value": "blue", "text": "Blue"}],
        },
        {
            "key": "why",
            "kind": "free_text",
            "text": "Why?",
            "show_if": {"question": "colour", "equals": "red"},
        },
    ],
}


@pytest.mark.parametrize("path", SURVEYS, ids=[p.name for p in SURVEYS])
def test_shipped_files_round_trip_exactly(app, demo, path: Path):
    with app.app_context():
        slug = yaml.safe_load(path.read_text())["slug"]
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        assert dump_yaml(export_definition(survey)) == path.read_text()


def test_cli_import_then_export_round_trips(app, demo, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "out.yaml"
    exported = runner.invoke(args=["surveys", "export", "talking-help-at-school", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    changed = out.read_text().replace("slug: talking-help-at-school", "slug: talking-copy", 1)
    copy = tmp_path / "copy.yaml"
    copy.write_text(changed)
    imported = runner.invoke(args=["surveys", "import", str(copy)])
    assert imported.exit_code == 0, imported.output
    again = runner.invoke(args=["surveys", "export", "talking-copy"])
    assert again.output == changed


def test_minimal_definition_fills_standard_options_and_round_trips(app_context):
    survey = import_definition(MINIMAL, "tiny.yaml")
    assert survey.questions[1].show_if_key == "colour"
    data = export_definition(survey)
    assert data["questions"][1]["show_if"] == {"question": "colour", "equals": "red"}
    assert load_yaml(dump_yaml(data), "x") == data


def test_survey_dates_and_grace_round_trip(app_context):
    """A survey's own opening and closing dates and grace period go out and come back."""
    text = dump_yaml(
        {**MINIMAL, "opens_on": "2026-04-01", "closes_on": "2026-06-30", "grace_hours": 48}
    )
    survey = import_definition(load_yaml(text, "dated.yaml"), "dated.yaml")
    assert (survey.opens_on, survey.closes_on, survey.grace_hours) == (
        date(2026, 4, 1),
        date(2026, 6, 30),
        48,
    )
    exported = dump_yaml(export_definition(survey))
    assert "opens_on: 2026-04-01\ncloses_on: 2026-06-30\ngrace_hours: 48\n" in exported
    assert load_yaml(exported, "x") == export_definition(survey)
    with pytest.raises(SurveyDefinitionError, match="closes_on: must be on or after opens_on"):
        import_definition(
            {
                **MINIMAL,
                "slug": "backwards",
                "opens_on": date(2026, 5, 1),
                "closes_on": date(2026, 4, 1),
            },
            "backwards.yaml",
        )


def _broken(path: str, value):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    target = data
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if value is _DELETE:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


_DELETE = object()
BAD = [
    ("slug", _DELETE, "slug: is required"),
    ("slug", "Not A Slug", "slug: use lower-case letters, digits and hyphens"),
    ("title", "x" * 201, "title: must be 200 characters or fewer"),
    ("audience", "aliens", "audience: 'aliens' is not one of"),
    ("mode", 7, "mode: '7' is not one of"),
    ("questions", [], "questions: at least 1 needed"),
    ("colour_field", "x", "colour_field: is not a known field"),
    ("questions.0.kind", "essay", "questions[0].kind: 'essay' is not one of"),
    (
        "questions.0.options",
        [{"value": "red", "text": "Red"}],
        "questions[0].options: at least 2 needed",
    ),
    ("questions.0.options.1.value", "red", "questions[0].options[1].value: 'red' is used twice"),
    ("questions.0.options.1.text", _DELETE, "questions[0].options[1].text: is required"),
    (
        "questions.0.options.1.text",
        " red!",
        "questions[0].options[1].text: has the same words as options[0]",
    ),
    ("questions.1.key", "colour", "questions[1].key: 'colour' is used by an earlier question"),
    (
        "questions.1.show_if",
        {"question": "nope", "equals": "red"},
        "questions[1].show_if.question: must name an earlier question's key",
    ),
    (
        "questions.1.show_if",
        {"question": "colour", "equals": "green"},
        "questions[1].show_if.equals: 'green' is not an option of 'colour'",
    ),
    ("questions.1.max_length", 0, "questions[1].max_length: must be a whole number"),
    (
        "questions.1.options",
        [{"value": "a", "text": "A"}, {"value": "b", "text": "B"}],
        "questions[1].options: free-text questions have no options",
    ),
    ("questions.0.required", "yes", "questions[0].required: must be true or false"),
    ("opens_on", "next week", "opens_on: must be a date written YYYY-MM-DD"),
    ("closes_on", "2026-02-30", "closes_on: must be a date written YYYY-MM-DD"),
    ("grace_hours", 200, "grace_hours: must be a whole number from 0 to 168"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD, ids=[b[2][:40] for b in BAD])
def test_bad_definition_is_refused_with_path_and_reason(app, app_context, path, value, message):
    runner = app.test_cli_runner()
    bad_file = Path(app.instance_path) / "bad.yaml"
    bad_file.write_text(
        yaml.safe_dump(
            _broken(path, value) if path != "colour_field" else {**MINIMAL, "colour_field": "x"}
        )
    )
    result = runner.invoke(args=["surveys", "import", str(bad_file)])
    assert result.exit_code == 1
    assert f"{bad_file}: {message}" in result.output
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 0
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_not_yaml_is_refused(app, app_context):
    bad_file = Path(app.instance_path) / "broken.yaml"
    bad_file.write_text("slug: [unclosed\n")
    result = app.test_cli_runner().invoke(args=["surveys", "import", str(bad_file)])
    assert result.exit_code == 1 and "is not valid YAML" in result.output


def test_one_bad_file_imports_nothing_from_the_batch(app, app_context):
    good = Path(app.instance_path) / "good.yaml"
    good.write_text(yaml.safe_dump(MINIMAL))
    bad = Path(app.instance_path) / "bad.yaml"
    bad.write_text(yaml.safe_dump({**MINIMAL, "slug": "other", "audience": "aliens"}))
    result = app.test_cli_runner().invoke(args=["surveys", "import", str(good), str(bad)])
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 0


def test_existing_slug_needs_replace_and_no_responses(app, demo, tmp_path):
    runner = app.test_cli_runner()
    path = REPO / "surveys" / "talking-help-at-school.yaml"
    refused = runner.invoke(args=["surveys", "import", str(path)])
    assert refused.exit_code == 1 and "already exists" in refused.output
    replaced = runner.invoke(args=["surveys", "import", "--replace", str(path)])
    assert replaced.exit_code == 0, replaced.output
    client = app.test_client()
    client.post("/surveys/talking-help-at-school/start")
    held = runner.invoke(args=["surveys", "import", "--replace", str(path)])
    assert held.exit_code == 1 and "has responses and cannot be replaced" in held.output
