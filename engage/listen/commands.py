"""`engage purge`: retention and erasure, run nightly; `engage tally`: the running counts."""

import click
from flask.cli import with_appcontext

from engage.extensions import db


@click.command("purge")
@click.option(
    "--replay-erasures", is_flag=True, help="After a restore: erase again what was erased."
)
@with_appcontext
def purge_command(replay_erasures: bool) -> None:
    """Remove contact details and free text past each survey's retention, and stale drafts."""
    from engage.listen import retention

    if replay_erasures:
        click.echo(f"Erasures replayed: {retention.replay_erasures()}")
    report = retention.purge()
    db.session.commit()
    click.echo(str(report))


@click.group("tally")
def tally_command() -> None:
    """The running counts the results pages read."""


@tally_command.command("check")
@with_appcontext
def tally_check() -> None:
    """Compare the counts with the rows they count; exit 1 if they differ."""
    from engage.listen import tally

    found = [line for module in tally.registered() for line in module.differences()]
    db.session.rollback()
    if found:
        click.echo("The counts differ from the rows (run `engage tally rebuild`):")
        for line in found:
            click.echo(f"  {line}")
        raise SystemExit(1)
    click.echo("The counts agree with the rows.")


@tally_command.command("rebuild")
@with_appcontext
def tally_rebuild() -> None:
    """Count everything afresh."""
    from engage.listen import tally

    for module in tally.registered():
        module.rebuild()
    db.session.commit()
    click.echo("Counted every submitted response afresh.")


COMMANDS = (purge_command, tally_command)
