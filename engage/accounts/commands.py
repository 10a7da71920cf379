"""Accounts' commands: `engage create-user`, `set-organisation`, `backup`, `unlock-user` and the
`engage security ...` checks."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from engage.extensions import db


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


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--verify", is_flag=True, help="Restore to a scratch database and compare tables.")
@with_appcontext
def backup_command(path: Path, verify: bool) -> None:
    """Back up the database to PATH (SQLite backup API, or pg_dump for PostgreSQL)."""
    from engage import backup

    try:
        backup.backup(path)
        click.echo(f"Backed up to {path}.")
        if verify:
            summary = backup.verify(path)
            rows = sum(table.rows for table in summary.values())
            click.echo(f"Verified: {len(summary)} tables, {rows} rows match.")
    except backup.BackupError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)


@click.command("unlock-user")
@click.argument("email")
@with_appcontext
def unlock_user_command(email: str) -> None:
    """Unlock a staff account locked after too many failed sign-ins."""
    from engage.accounts import audit
    from engage.accounts.auth import normalise_email
    from engage.accounts.models import User

    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        click.echo(f"Error: no user {email}", err=True)
        sys.exit(1)
    user.failed_logins = 0
    audit.record("account_unlocked", "user", user.id, detail="command line")
    db.session.commit()
    click.echo(f"Unlocked {user.email}.")


@click.group("security")
def security_group() -> None:
    """Check the role matrix and the data inventory against the code."""


@security_group.command("roles")
@with_appcontext
def roles_command() -> None:
    """List endpoints missing from docs/roles.yaml (as YAML to review and paste)."""
    from engage.accounts import roles

    matrix = roles.load()
    missing, stale = roles.problems(current_app, matrix)
    if missing:
        click.echo(f"# Add to {roles.ROLES_FILE} (taken from the decorators: check them):")
        click.echo(roles.suggestions(current_app, missing), nl=False)
    for endpoint in stale:
        click.echo(f"# In {roles.ROLES_FILE.name} but no such endpoint, remove: {endpoint}")
    if missing or stale:
        sys.exit(1)
    click.echo(f"{roles.ROLES_FILE.name}: all {len(matrix)} endpoints classified.")


@security_group.command("inventory")
@with_appcontext
def inventory_command() -> None:
    """List columns missing from docs/data-inventory.yaml (as YAML stubs to fill in)."""
    from engage import privacy

    inventory = privacy.load_inventory()
    missing = privacy.unclassified(db.metadata, inventory)
    gone = privacy.stale(db.metadata, inventory)
    if missing:
        click.echo("\n".join(f"# {problem}" for problem in missing))
        click.echo(privacy.stubs(db.metadata, inventory), nl=False)
    for name in gone:
        click.echo(f"# In {privacy.INVENTORY_FILE.name} but not in the models, remove: {name}")
    if missing or gone:
        sys.exit(1)
    click.echo(f"{privacy.INVENTORY_FILE.name}: every column classified.")


COMMANDS = (
    create_user_command,
    set_organisation_command,
    backup_command,
    unlock_user_command,
    security_group,
)
