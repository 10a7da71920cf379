"""Ask's commands: `engage surveys import|export` (YAML definitions), `engage lint` (easy-read
wording) and `engage close-due`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import ngettext

from engage.ask import schedule
from engage.ask.definitions import (
    SurveyDefinitionError,
    dump_yaml,
    export_definition,
    import_file,
    load_yaml,
    parse_definition,
)
from engage.ask.lint import MIN_READING_EASE, lint_survey, survey_reading_ease
from engage.ask.models import Survey
from engage.extensions import db
from engage.inform import engagements


@click.group("surveys")
def surveys_group() -> None:
    """Import and export survey definitions (YAML)."""


@surveys_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--replace", is_flag=True, help="Replace a survey of the same slug with no responses."
)
@with_appcontext
def import_command(files: tuple[str, ...], replace: bool) -> None:
    """Import survey definitions; nothing is imported if any file is bad."""
    try:
        surveys = [import_file(Path(name), replace=replace) for name in files]
        db.session.commit()
    except SurveyDefinitionError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    for survey in surveys:
        questions = ngettext("%(num)d question", "%(num)d questions", len(survey.questions))
        click.echo(f"Imported {survey.slug} ({questions}).")


@surveys_group.command("export")
@click.argument("slug")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="File to write (default: stdout)."
)
@with_appcontext
def export_command(slug: str, output: str | None) -> None:
    """Export a survey definition as YAML."""
    survey = db.session.scalar(db.select(Survey).where(Survey.slug == slug))
    if survey is None:
        click.echo(f"Error: no survey '{slug}'", err=True)
        sys.exit(1)
    text = dump_yaml(export_definition(survey))
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@click.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def lint_command(files: tuple[str, ...]) -> None:
    """Check the easy-read wording of survey definitions (YAML). Exits 1 on any finding."""
    failed = False
    for name in files:
        try:
            definition = load_yaml(Path(name).read_text(encoding="utf-8"), name)
            survey, _engagement = parse_definition(definition)
        except SurveyDefinitionError as error:
            click.echo(f"{name}: {error.path}: {error.reason}")
            failed = True
            continue
        findings = lint_survey(survey)
        for finding in findings:
            click.echo(finding.line(name))
        failed = failed or bool(findings)
        if not findings:
            ease = survey_reading_ease(survey)
            score = f"reading ease {ease}" if ease is not None else "no easy-read wording"
            click.echo(f"{name}: ok ({score}; target {MIN_READING_EASE:g} or more)")
    if failed:
        sys.exit(1)


@click.command("close-due")
@with_appcontext
def close_due_command() -> None:
    """Mark surveys and engagements whose closing dates have passed as closed.

    Optional (pages check the dates on every request); it keeps lists and exports tidy.
    """
    surveys = schedule.close_due()
    closed = engagements.close_due()
    db.session.commit()
    click.echo(
        "Closed "
        + ngettext("%(num)d survey", "%(num)d surveys", len(surveys))
        + " and "
        + ngettext("%(num)d engagement.", "%(num)d engagements.", len(closed))
    )


COMMANDS = (surveys_group, lint_command, close_due_command)
