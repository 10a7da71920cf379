"""Learn's commands: `engage analyse`, `engage worker`, `engage check-phrases`,
`engage escalate-flags` and `engage answers detect-languages`."""

from collections import Counter
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import ngettext

from engage.extensions import db


@click.command("analyse")
@click.option("--all", "everything", is_flag=True, help="Re-analyse every answer.")
@with_appcontext
def analyse_command(everything: bool) -> None:
    """Analyse free-text answers: sentiment, themes and the safeguarding screen.

    By default only answers not yet analysed by the current analyser; safe to run again.
    """
    from engage.learn.analysis import analyse_pending
    from engage.learn.safeguarding import phrases_file_problem
    from engage.learn.worker import drain

    problem = phrases_file_problem()
    if problem:
        click.echo(f"Safeguarding phrases file refused, the previous list is used: {problem}")
    # What the worker has yet to do, as it would do it; then anything an older analyser did.
    count = drain() + analyse_pending(everything=everything)
    click.echo(ngettext("Analysed %(num)d answer.", "Analysed %(num)d answers.", count))


@click.command("worker")
@click.option("--batch", type=int, help="Responses analysed at a time (default 50).")
@with_appcontext
def worker_command(batch: int | None) -> None:
    """Analyse submitted answers as they arrive (sentiment and themes), until stopped.

    Safe to run several at once, on one machine or many; stopping one mid-batch loses
    nothing (its batch is analysed by the next).
    """
    from engage.learn.worker import BATCH_RESPONSES, run

    click.echo("Analysing submitted answers as they arrive; Ctrl-C stops.")
    try:
        run(batch_size=batch or BATCH_RESPONSES)
    except KeyboardInterrupt:
        pass


@click.command("check-phrases")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def check_phrases_command(path: Path | None) -> None:
    """Check an area's safeguarding phrases file (default: ENGAGE_SAFEGUARDING_PHRASES_FILE).

    A file with a mistake is refused as a whole and the list that worked before stays in
    force; this names the file and the line to fix.
    """
    from engage.learn.safeguarding import PhrasesFileError, added_phrases, check_phrases_file

    configured = current_app.config.get("SAFEGUARDING_PHRASES_FILE")
    if path is None and not configured:
        raise click.UsageError("Name a file, or set ENGAGE_SAFEGUARDING_PHRASES_FILE")
    path = path or Path(configured)
    try:
        screen = check_phrases_file(path)
    except PhrasesFileError as error:
        click.echo(f"Refused: {error}", err=True)
        if str(path) == str(configured):
            click.echo("The screen keeps using the list that worked before.", err=True)
        raise SystemExit(1) from error
    added = added_phrases(screen)
    readings = [phrase for phrase in added if phrase.other_sense]
    added = [phrase for phrase in added if not phrase.other_sense]
    levels = Counter(phrase.level.value for phrase in added)
    also = f" Words read in another sense: {len(readings)}." if readings else ""
    click.echo(
        f"{path}: fine. {len(added)} phrases added to the built-in list "
        f"({levels['urgent']} urgent, {levels['concern']} concern) in "
        f"{len({phrase.category for phrase in added})} categories.{also}"
    )


@click.command("escalate-flags")
@with_appcontext
def escalate_flags_command() -> None:
    """Escalate safeguarding flags with no decision after the agreed time (run from cron)."""
    from engage.learn.escalation import escalate_overdue

    escalated = escalate_overdue()
    db.session.commit()
    click.echo(ngettext("Escalated %(num)d flag.", "Escalated %(num)d flags.", len(escalated)))


@click.group("answers")
def answers_group() -> None:
    """Written answers."""


@answers_group.command("detect-languages")
@with_appcontext
def detect_languages_command() -> None:
    """Tell the language of written answers given before languages were told apart.

    Only answers with no language are read, so it is safe to run again. One in another
    language is no longer counted as analysed: it waits for a staff translation.
    """
    from engage.learn.answer_translations import detect_missing_languages

    done = detect_missing_languages()
    click.echo(
        f"Told the language of {done.told} written answers; {done.not_english} in another "
        "language wait for a translation."
    )


COMMANDS = (
    analyse_command,
    worker_command,
    check_phrases_command,
    escalate_flags_command,
    answers_group,
)
