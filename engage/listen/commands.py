"""`engage purge`: retention and erasure, run nightly."""

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
