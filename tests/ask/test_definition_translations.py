"""Survey YAML files carry translations: exported with the survey, imported back exactly, and
checked like every other field (a bad one names its path; nothing is half-imported)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engage.ask import translations
from engage.ask.definitions import (
    SurveyDefinitionError,
    dump_yaml,
    export_definition,
    import_definition,
    load_yaml,
)
from engage.ask.models import Question, Survey
from engage.content_translations import ContentTranslation
from engage.extensions import db
from tests.ask.translation_helpers import PARENTS, languages_app, mark, survey, translate_all


@pytest.fixture
def area(app, database_uri, demo):
    return languages_app(database_uri)


def _exported() -> dict:
    return load_yaml(dump_yaml(export_definition(survey())), "export")


def test_yaml_round_trip_keeps_translations_marks_and_out_of_date_texts(area):
    with area.app_context():
        translate_all(survey())
        mark(survey())
        translate_all(survey(), "ur", leave_out=4)
        question = db.session.scalar(select(Question).where(Question.key == "one_change"))
        old = question.text
        question.text = "What would help your family most?"
        db.session.commit()
        data = _exported()
        first = dump_yaml(data)
    polish = data["translations"]["pl"]
    assert polish["complete"] is True
    assert polish["texts"]["title"] == "PL The Local Offer and SEN support"
    assert polish["texts"]["questions.one_change.text"] == {"text": f"PL {old}", "english": old}
    assert data["translations"]["ur"]["complete"] is False
    with area.app_context():
        count = db.session.query(ContentTranslation).count()
        import_definition(load_yaml(first, "file"), "file", replace=True)
        db.session.commit()
        assert db.session.query(ContentTranslation).count() == count
        status = {s.language: s for s in translations.statuses(survey())}
        assert (status["pl"].missing, status["pl"].out_of_date) == (0, 1)
        assert status["pl"].marked_complete and not status["pl"].offered
        assert status["ur"].missing == 4
        assert dump_yaml(export_definition(survey())) == first


def _import_with(area, translated: dict) -> SurveyDefinitionError:
    with area.app_context():
        data = _exported()
        data["slug"] = "parents-copy"
        data.pop("engagement", None)
        data["translations"] = translated
        with pytest.raises(SurveyDefinitionError) as refused:
            import_definition(data, "copy.yaml")
        db.session.rollback()
        assert db.session.scalar(select(Survey).where(Survey.slug == "parents-copy")) is None
        assert db.session.query(ContentTranslation).count() == 0
    return refused.value


def test_an_unknown_text_id_names_its_path(area):
    error = _import_with(area, {"pl": {"texts": {"questions.nothing.text": "Nic"}}})
    assert str(error) == (
        "copy.yaml: translations.pl.texts.questions.nothing.text: is not a text of this survey"
    )


def test_html_in_a_plain_translation_names_its_path(area):
    error = _import_with(area, {"pl": {"texts": {"title": "<i>Ankieta</i>"}}})
    assert error.path == "translations.pl.texts.title" and "HTML" in error.reason


def test_complete_with_texts_missing_is_kept_as_a_mark_but_not_offered(area):
    with area.app_context():
        data = _exported()
        data["slug"] = "parents-copy"
        data.pop("engagement", None)
        data["translations"] = {"pl": {"complete": True, "texts": {"title": "Ankieta"}}}
        copy = import_definition(data, "copy.yaml")
        db.session.commit()
        status = {s.language: s for s in translations.statuses(copy)}["pl"]
        assert status.marked_complete and status.missing == status.total - 1
        assert not status.offered


def test_a_language_that_is_not_a_code_is_refused(area):
    error = _import_with(area, {"Polish": {"texts": {}}})
    assert error.path == "translations.Polish"


def test_a_file_without_translations_exports_none(area):
    with area.app_context():
        assert "translations" not in export_definition(survey(PARENTS))
