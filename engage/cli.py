"""The `engage` command: Flask's commands (run, db), the demo data, and each step's commands
(`engage/<step>/commands.py`), registered here in the order of the cycle."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from engage.extensions import db


def _create_app(*_args, **_kwargs) -> Flask:
    from engage import create_app

    return create_app()


def main() -> None:
    group = FlaskGroup(
        create_app=_create_app, help="Engage: inform, ask, listen, learn, improve, respond."
    )
    group.main(prog_name="engage")


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


@click.command("db-is-empty")
@with_appcontext
def db_is_empty_command() -> None:
    """Exit 0 when no organisation exists yet (used by `make run` to load demo data once)."""
    from sqlalchemy import func, select

    from engage.inform.models import Organisation

    sys.exit(0 if not db.session.scalar(select(func.count()).select_from(Organisation)) else 1)


def register_commands(app: Flask) -> None:
    from engage.accounts import commands as accounts
    from engage.ask import commands as ask
    from engage.inform import commands as inform
    from engage.learn import commands as learn
    from engage.listen import commands as listen
    from engage.reports import commands as reports
    from engage.respond import commands as respond

    for command in (demo_command, db_is_empty_command):
        app.cli.add_command(command)
    for step in (accounts, inform, ask, listen, learn, respond, reports):
        for command in step.COMMANDS:
            app.cli.add_command(command)
