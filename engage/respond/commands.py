"""Respond's command: `engage send-updates`, emails to people who asked to hear back."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("send-updates")
@with_appcontext
def send_updates_command() -> None:
    """Email people who asked to hear back: send queued messages, retrying failed ones."""
    from engage.respond.outbox import send_pending

    report = send_pending(current_app.config)
    click.echo(f"Sent {report.sent}, failed {report.failed}, given up {report.given_up}.")


COMMANDS = (send_updates_command,)
