"""Learn step: sentiment, themes, suggestions and safeguarding on free-text answers (the text
analysis itself, with no app or database, in engage.learn.text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from engage.learn import refit, tally
    from engage.learn.analysis import prepare_submitted_response, screen_submitted_response
    from engage.learn.quotes import withdraw_erased
    from engage.learn.safeguarding import install_deletion_guard
    from engage.learn.views import bp, register_nav
    from engage.listen import tally as listen_tally
    from engage.listen.hooks import add_erase_hook, add_submit_hook

    app.register_blueprint(bp)
    register_nav(app)
    add_submit_hook(app, screen_submitted_response, prepare=prepare_submitted_response)
    add_erase_hook(app, withdraw_erased)
    install_deletion_guard()
    listen_tally.register(app, tally)
    _check_places_file(app)
    refit.forget_all()
    if not app.testing:
        _import_analysis_libraries()


def _check_places_file(app: Flask) -> None:
    """A missing or malformed list of the area's schools and places stops the start, rather
    than the first quote a staff member checks."""
    if not app.config.get("PLACES_FILE"):
        return
    from engage.config import ConfigError
    from engage.learn.text.identifying import PlacesFileError, area_places

    try:
        area_places(app.config["PLACES_FILE"])
    except PlacesFileError as error:
        raise ConfigError(f"ENGAGE_PLACES_FILE: {error}") from error


def _import_analysis_libraries() -> None:
    """Load the sentiment lexicons when the app starts (the web server and `engage worker`),
    not in the first batch the worker analyses. scikit-learn is imported only where a model
    is trained or used, so a process that never needs one stays about 90 MB smaller."""
    from engage.learn.text import sentiment

    sentiment.load_lexicons()
