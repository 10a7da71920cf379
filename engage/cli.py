"""The `engage` command: Flask's commands (run, db) plus the project's own."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import ngettext

from engage.extensions import db


def _create_app(*_args, **_kwargs) -> Flask:
    from engage import create_app

    return create_app()


def main() -> None:
    group = FlaskGroup(
        create_app=_create_app, help="Engage: inform, ask, listen, learn, improve, respond."
    )
    group.main(prog_name="engage")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.option(
    "--role",
    type=click.Choice(["admin", "commissioner", "viewer", "safeguarding_lead"]),
    default="viewer",
    show_default=True,
)
@click.option("--password", help="Omit to be asked (it is not echoed).")
@click.option(
    "--organisation",
    default=None,
    help="The organisation (team) whose engagements they see; omit for the whole partnership.",
)
@with_appcontext
def create_user_command(
    email: str, name: str, role: str, password: str | None, organisation: str | None
) -> None:
    """Create a staff account."""
    from engage.accounts.auth import AccountError, create_user
    from engage.accounts.models import Role

    team = _organisation_or_exit(organisation) if organisation else None
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, name, password, Role(role))
        user.organisation_id = team.id if team else None
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Created {user.email} ({role}, {team.name if team else 'whole partnership'}).")


def _organisation_or_exit(name: str):
    from engage.inform.models import Organisation

    found = db.session.scalar(db.select(Organisation).where(Organisation.name == name))
    if found is None:
        names = db.session.scalars(db.select(Organisation.name).order_by(Organisation.name))
        click.echo(f"Error: no organisation '{name}'. Choose from: {', '.join(names)}", err=True)
        sys.exit(1)
    return found


@click.command("set-organisation")
@click.argument("email")
@click.argument("organisation", required=False)
@click.option("--whole-partnership", is_flag=True, help="See every engagement.")
@with_appcontext
def set_organisation_command(email: str, organisation: str | None, whole_partnership: bool):
    """Move a staff account to an organisation (team), or to the whole partnership."""
    from engage.accounts.audit import record
    from engage.accounts.auth import normalise_email
    from engage.accounts.models import User

    if bool(organisation) == whole_partnership:
        click.echo("Error: give an organisation or --whole-partnership (one of them).", err=True)
        sys.exit(1)
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None:
        click.echo(f"Error: no account for {email}", err=True)
        sys.exit(1)
    team = None if whole_partnership else _organisation_or_exit(organisation)
    user.organisation_id = team.id if team else None
    # Reach changes what they may see: end their sessions so it applies at once.
    user.session_version += 1
    record("account_organisation_set", "user", user.id, detail="command line")
    db.session.commit()
    click.echo(f"{user.email} now sees: {team.name if team else 'the whole partnership'}.")


@click.command("demo")
@click.option(
    "--responses",
    type=click.IntRange(min=0),
    default=0,
    help="Also add this many synthetic submitted responses (each run adds more).",
)
@click.option("--seed", type=int, default=None, help="Repeatable synthetic answers.")
@click.option(
    "--empty",
    is_flag=True,
    help="Only organisations, services, engagements and surveys: no history of responses.",
)
@with_appcontext
def demo_command(responses: int, seed: int | None, empty: bool) -> None:
    """Load demo organisations, services, engagements and surveys, with a year of responses,
    analysis, actions and published updates unless --empty (safe to run twice)."""
    from engage import demo

    surveys = Path(__file__).resolve().parent.parent / "surveys"
    report = demo.load(surveys)
    db.session.commit()
    if not empty:
        from engage import demo_history

        demo_history.load(surveys, report)
    for line in report.lines:
        click.echo(line)
    if responses:
        from engage.synthetic import generate

        for line in generate(responses, seed=seed).lines:
            click.echo(line)
        # Bulk rows skip the analysis each submit runs, so results would show none of them.
        click.echo("Run `engage analyse` to analyse their written answers.")


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
    from engage.ask.definitions import SurveyDefinitionError, import_file

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
    from sqlalchemy import select

    from engage.ask.definitions import dump_yaml, export_definition
    from engage.ask.models import Survey

    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None:
        click.echo(f"Error: no survey '{slug}'", err=True)
        sys.exit(1)
    text = dump_yaml(export_definition(survey))
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@click.command("db-is-empty")
@with_appcontext
def db_is_empty_command() -> None:
    """Exit 0 when no organisation exists yet (used by `make run` to load demo data once)."""
    from sqlalchemy import func, select

    from engage.inform.models import Organisation

    sys.exit(0 if not db.session.scalar(select(func.count()).select_from(Organisation)) else 1)


def new_password() -> str:
    return secrets.token_urlsafe(15)


def register_commands(app: Flask) -> None:
    for command in (
        create_user_command,
        set_organisation_command,
        demo_command,
        surveys_group,
        db_is_empty_command,
    ):
        app.cli.add_command(command)
