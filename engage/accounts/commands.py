"""Operator commands: `engage backup`, `engage unlock-user` and `engage security ...` checks."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from engage.extensions import db


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


COMMANDS = (backup_command, unlock_user_command, security_group)
