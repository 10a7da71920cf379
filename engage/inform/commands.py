"""Inform's commands: `engage create-user` and `engage set-organisation`, which place a staff
account in an organisation (team): it sees that organisation's engagements."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from engage.extensions import db
from engage.inform.models import Organisation


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


COMMANDS = (create_user_command, set_organisation_command)
