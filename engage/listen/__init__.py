"""Listen: the public survey runner, drafts, resume codes and responses."""

from flask import Flask


def symbol_alt(code: str, words: str) -> str:
    """Alt text for a symbol: its description from the symbol set, else the answer's words."""
    try:
        from engage.ask.symbols import alt_text
    except ImportError:
        return words
    return alt_text(code) or words


def init_app(app: Flask) -> None:
    from engage.listen import tally
    from engage.listen.commands import purge_command, tally_command
    from engage.listen.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(purge_command)
    app.cli.add_command(tally_command)
    tally.install()
    tally.register(app, tally)
    app.jinja_env.globals["symbol_alt"] = symbol_alt
