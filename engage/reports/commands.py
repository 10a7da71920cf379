"""Reports' command: `engage report`, the SEND Governance Board report."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("report")
@click.option("--engagement", "engagement_slug", help="One engagement, by its slug.")
@click.option("--period", help="Months, inclusive, such as 2026-04..2027-03.")
@click.option("--output", type=click.Path(file_okay=False), help="Directory (default: reports/).")
@with_appcontext
def report_command(engagement_slug: str | None, period: str | None, output: str | None) -> None:
    """Write the SEND Governance Board report: self-contained HTML and CSVs."""
    from engage.reports import governance

    try:
        scope = governance.scope_for(engagement_slug, period)
        report = governance.build(scope)
        directory = Path(output) if output else governance.default_directory(current_app.root_path)
        written = governance.write(report, directory)
    except governance.ReportError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"Wrote {path}")


COMMANDS = (report_command,)
