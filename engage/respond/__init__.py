"""Respond: 'You said, we did' updates, public pages and feed, telling people who opted in."""

import click
from flask import Flask
from flask.cli import with_appcontext


@click.command("send-updates")
@with_appcontext
def send_updates_command() -> None:
    """Email people who asked to hear back: send queued messages, retrying failed ones."""
    from flask import current_app

    from engage.respond.outbox import send_pending

    report = send_pending(current_app.config)
    click.echo(f"Sent {report.sent}, failed {report.failed}, given up {report.given_up}.")


def init_app(app: Flask) -> None:
    from engage.learn.safeguarding import add_safeguarding_notifier
    from engage.navigation import NavItem, add_staff_nav
    from engage.respond import richtext
    from engage.respond.outbox import queue_safeguarding_notice
    from engage.respond.views import bp

    app.register_blueprint(bp)
    app.jinja_env.filters["staff_richtext"] = richtext.render
    app.cli.add_command(send_updates_command)
    add_safeguarding_notifier(app, queue_safeguarding_notice)
    add_staff_nav(app, NavItem("respond.staff_index", "You said, we did", order=70))
