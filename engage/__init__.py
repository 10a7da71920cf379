"""Engage: the app factory."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported in create_app: engage.learn.text loads without Flask
    from flask import Flask

# The cycle, in order: a step may import from the steps before it, never after.
STEPS = ("accounts", "inform", "ask", "listen", "learn", "improve", "respond", "reports")
MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict | None = None) -> Flask:
    from flask import Flask
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

    from engage import config as settings
    from engage import templating

    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(settings.BASE)
    app.config.update(settings.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **settings.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    settings.choose_mail_backend(app.config)
    settings.check_production(app.config)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(Path(__file__).parent / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    _init_extensions(app)
    templating.init_app(app)
    _register_blueprints(app)

    from engage import catalogues, errors, headers, navigation

    navigation.init_app(app)
    catalogues.init_app(app)
    headers.init_app(app)
    errors.init_app(app)

    from engage.cli import register_commands

    register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from engage import database, languages
    from engage.extensions import babel, csrf, db, migrate

    # Every model must be imported before metadata is used by Alembic or create_all.
    database.import_models()
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=languages.select_locale)
    languages.init_app(app)
    WTFormsHelpers(app)

    from engage.accounts import access
    from engage.extensions import limiter

    access.init_app(app)
    # Before blueprints: limits declared on views are bound as they register.
    limiter.init_app(app)


def _register_blueprints(app: Flask) -> None:
    """Each step registers its own blueprint, CLI commands and staff menu items."""
    app.extensions["engage_staff_nav"] = []
    for step in STEPS:
        import_module(f"engage.{step}").init_app(app)
