"""Migrations bring an empty database to head and match the models."""

from __future__ import annotations

import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from engage.extensions import db
from tests.conftest import make_app


@pytest.fixture
def empty_database_uri(database_uri, tmp_path):
    url = make_url(database_uri)
    if url.get_backend_name() == "sqlite":
        yield "sqlite:///" + str(tmp_path / "migrations.db")
        return
    name = f"engage_migrations_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_empty_database_to_head_matches_models(empty_database_uri):
    app = make_app(empty_database_uri)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"survey", "response", "answer", "theme", "action", "update"} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            drift = compare_metadata(context, db.metadata)
        assert drift == [], f"models and migrations differ: {drift}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_single_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from engage import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_counts_the_responses_already_there(empty_database_uri):
    """An installation with responses gets running counts that agree with them."""
    from engage.learn.models import SentimentLabel
    from engage.listen import tally
    from engage.listen.models import Channel, RespondentGroup
    from tests.learn import results_factories as made

    app = make_app(empty_database_uri)
    with app.app_context():
        upgrade()
        survey = made.make_survey()
        first = made.make_response(survey, feel="happy", helps=["ideas", "time"], better="More")
        made.make_response(
            survey,
            feel="sad",
            better="Slow",
            group=RespondentGroup.PARENT_CARER,
            channel=Channel.PAPER,
        )
        made.make_response(survey, feel="happy", submitted=False)
        made.feel(made.free_text_answer(first), SentimentLabel.POSITIVE)
        made.code(made.free_text_answer(first), made.make_theme("Waiting"))
        db.session.commit()
        for table in ("response_tally", "answer_tally", "sentiment_tally", "coding_tally"):
            db.session.execute(text(f"DELETE FROM {table}"))
        db.session.commit()
        # Back to before the counts existed, then forward: the migrations count what is there.
        downgrade(revision="8bb5810a610c")
        upgrade()
        counted = {
            table: db.session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
            for table in ("response_tally", "answer_tally", "sentiment_tally", "coding_tally")
        }
        assert all(counted.values()), counted
        drift = [line for module in tally.registered() for line in module.differences()]
        assert drift == []
        db.session.remove()
        db.engine.dispose()


def test_flags_keep_level_category_words_and_false_flag_status(empty_database_uri):
    """Flags from before levels read as urgent; a false flag round-trips, and going back a
    migration keeps it as "no action"."""
    from sqlalchemy import select

    from engage.learn.models import FlagStatus, SafeguardingFlag
    from engage.learn.text.screen import Level
    from tests.learn.factories import make_response, make_survey

    app = make_app(empty_database_uri)
    with app.app_context():
        upgrade(revision="a76f4633deb6")
        now = "2026-12-01 10:00:00"
        survey_id = _insert(
            "survey",
            slug="s",
            title="S",
            easy_read_title="",
            description="",
            easy_read_description="",
            audience="young_people",
            mode="easy_read",
            status="published",
            minutes_to_complete=5,
            retention_days=730,
            one_question_per_page=True,
            created_at=now,
        )
        response_id = _insert(
            "response",
            survey_id=survey_id,
            status="submitted",
            channel="online",
            respondent_group="not_said",
            answered_how="not_said",
            submission_token="t",
            started_at=now,
            updated_at=now,
        )
        _insert(
            "safeguarding_flag",
            response_id=response_id,
            reason="Phrase screen: hits me",
            status="new",
            created_at=now,
        )
        db.session.commit()
        upgrade()
        old = db.session.scalar(select(SafeguardingFlag))
        assert old.level is Level.URGENT and old.category == "" and old.matched_words is None
        response = make_response(make_survey("Anything else?"), "i only eat at school")
        flag = SafeguardingFlag(
            response=response,
            reason="Phrase screen: only eat at school",
            level=Level.CONCERN,
            category="Neglect",
            matched_words=["only", "eat", "at", "school"],
            status=FlagStatus.FALSE_FLAG,
        )
        db.session.add(flag)
        db.session.commit()
        flag_id = flag.id
        db.session.expire_all()
        again = db.session.get(SafeguardingFlag, flag_id)
        assert (again.level, again.category, again.status) == (
            Level.CONCERN,
            "Neglect",
            FlagStatus.FALSE_FLAG,
        )
        assert again.matched_words == ["only", "eat", "at", "school"]
        db.session.commit()
        downgrade(revision="a76f4633deb6")
        status = text(f"SELECT status FROM safeguarding_flag WHERE id = {flag_id}")
        assert db.session.execute(status).scalar() == "no_action"
        db.session.commit()
        upgrade()
        db.session.remove()
        db.engine.dispose()


def _insert(table: str, **values) -> int:
    names = ", ".join(values)
    places = ", ".join(f":{name}" for name in values)
    db.session.execute(text(f"INSERT INTO {table} ({names}) VALUES ({places})"), values)
    return db.session.execute(text(f"SELECT max(id) FROM {table}")).scalar()


def test_translations_tables_round_trip(empty_database_uri):
    """Translations of surveys come and go with their migration; the rest stays."""
    from engage.content_translations import ContentKind, ContentTranslation

    app = make_app(empty_database_uri)
    with app.app_context():
        upgrade()
        db.session.add(
            ContentTranslation(
                object_type=ContentKind.SURVEY,
                object_id=1,
                field="title",
                language="pl",
                text="Ankieta",
                source_hash="0" * 64,
                source_text="Survey",
            )
        )
        db.session.commit()
        db.session.remove()
        downgrade(revision="5e1a9c3b7d20")
        tables = set(inspect(db.engine).get_table_names())
        assert "content_translation" not in tables and "content_language" not in tables
        assert "survey" in tables
        upgrade()
        assert db.session.query(ContentTranslation).count() == 0
        db.session.remove()
        db.engine.dispose()
