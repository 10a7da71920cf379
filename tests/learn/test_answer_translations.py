"""Written answers in other languages: detected, listed as untranslated and counted as "not
yet analysed (language)", never analysed as English; a staff translation is kept beside the
original (audited) and then analysed and counted; results and exports by language."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from engage.accounts.models import AuditEvent, Role
from engage.ask.models import Survey
from engage.extensions import db
from engage.learn import tally as learn_tally
from engage.learn import themes
from engage.learn.analysis import analyse_pending
from engage.learn.answer_translations import not_yet_analysed
from engage.learn.models import Coding, CodingSource, Sentiment, Theme
from engage.learn.results import Filters, survey_scope
from engage.listen import tally
from engage.listen.answer_languages import answer_language
from engage.listen.models import Answer
from tests.learn.factories import make_response, make_survey, submit_and_analyse

POLISH = "Czekamy <b>za długo</b> na terapię mowy, to jest bardzo frustrujące."
URDU = "ہمیں اسپیچ تھراپی کے لیے بہت لمبا انتظار کرنا پڑتا ہے، یہ بہت مایوس کن ہے۔"
ENGLISH = "The waiting list for speech therapy is far too long and very frustrating."
TRANSLATION = "We wait far too long for speech therapy, it is very frustrating."


def _survey_with_answers(app):
    """A parents' survey with an English, a Polish and an Urdu answer, submitted (the submit
    hook runs) with their languages detected as the runner does."""
    with app.app_context():
        themes.seed_codebook()
        survey = make_survey("What could we do better?")
        ids = {}
        for text, chosen in ((ENGLISH, "en"), (POLISH, "pl"), (URDU, "ur")):
            response = make_response(survey, text)
            response.language = chosen
            answer = response.answers[0]
            answer.language = answer_language(text, chosen)
            submit_and_analyse(response)
            ids[chosen] = answer.id
        return survey.id, ids


def _analysed(answer_id: int) -> bool:
    return db.session.scalar(select(Sentiment).where(Sentiment.answer_id == answer_id)) is not None


def test_answers_in_polish_and_urdu_wait_for_a_translation_then_are_analysed(app, staff_client):
    survey_id, ids = _survey_with_answers(app)
    with app.app_context():
        assert [db.session.get(Answer, ids[c]).language for c in ("en", "pl", "ur")] == [
            "en",
            "pl",
            "ur",
        ]
        # Never read as English: only the English answer has a sentiment.
        assert [_analysed(ids[c]) for c in ("en", "pl", "ur")] == [True, False, False]
        # A run of the analyser leaves them waiting too.
        analyse_pending()
        db.session.commit()
        assert not _analysed(ids["pl"]) and not _analysed(ids["ur"])
        scope = survey_scope(db.session.get(Survey, survey_id))
        assert not_yet_analysed(scope, Filters()) == [("pl", 1), ("ur", 1)]

    client = staff_client(Role.COMMISSIONER)
    results = client.get(f"/staff/results/surveys/{survey_id}").get_data(as_text=True)
    assert "Not yet analysed" in results
    assert "1 written answer (Polish)" in results and "1 written answer (Urdu)" in results

    page = client.get(f"/staff/results/surveys/{survey_id}/translations").get_data(as_text=True)
    assert "Not yet analysed (Polish)" in page and "Not yet analysed (Urdu)" in page
    # The original words, escaped, marked with their language and direction.
    assert 'lang="pl" dir="ltr"' in page and "&lt;b&gt;za długo&lt;/b&gt;" in page
    assert 'lang="ur" dir="rtl"' in page and URDU in page
    assert ENGLISH not in page

    saved = client.post(
        f"/staff/answers/{ids['pl']}/translation", data={"translation": TRANSLATION}
    )
    assert saved.status_code == 303
    after = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Translation saved" in after and "Translated from Polish" in after
    with app.app_context():
        answer = db.session.get(Answer, ids["pl"])
        assert answer.text == POLISH  # the respondent's words, never overwritten
        assert answer.translation == TRANSLATION and answer.translated_by_id is not None
        assert _analysed(ids["pl"])
        # Themed from the translation, as the English answer about the same thing is.
        coded = set(
            db.session.scalars(select(Coding.theme_id).where(Coding.answer_id == ids["pl"]))
        )
        english = set(
            db.session.scalars(select(Coding.theme_id).where(Coding.answer_id == ids["en"]))
        )
        assert coded and coded & english
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "answer_translated")
        )
        assert event.object_id == str(ids["pl"]) and "Polish" in event.detail
    results = client.get(f"/staff/results/surveys/{survey_id}").get_data(as_text=True)
    assert "1 written answer (Urdu)" in results and "(Polish)" not in results


def test_an_empty_translation_is_refused_and_nothing_is_stored(app, staff_client):
    survey_id, ids = _survey_with_answers(app)
    client = staff_client(Role.ADMIN)
    refused = client.post(f"/staff/answers/{ids['ur']}/translation", data={"translation": "  "})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "There is a problem" in page and "Enter the translation in English" in page
    assert f'href="#translation-{ids["ur"]}"' in page
    with app.app_context():
        assert db.session.get(Answer, ids["ur"]).translation is None
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "answer_translated")
            )
            == 0
        )


def test_viewers_read_the_list_but_cannot_translate(app, staff_client):
    survey_id, ids = _survey_with_answers(app)
    viewer = staff_client(Role.VIEWER)
    page = viewer.get(f"/staff/results/surveys/{survey_id}/translations")
    assert page.status_code == 200 and "Save translation" not in page.get_data(as_text=True)
    refused = viewer.post(f"/staff/answers/{ids['pl']}/translation", data={"translation": "x"})
    assert refused.status_code == 403


def test_written_answers_and_exports_filter_by_language_with_a_language_column(app, staff_client):
    survey_id, ids = _survey_with_answers(app)
    client = staff_client(Role.ADMIN)
    results = client.get(f"/staff/results/surveys/{survey_id}").get_data(as_text=True)
    assert "By language" in results and "3 submitted responses" in results
    assert f'href="/staff/results/surveys/{survey_id}?language=pl">Polish: 1</a>' in results
    # The figures follow the language; every language stays listed, to move between them.
    polish_results = client.get(f"/staff/results/surveys/{survey_id}?language=pl")
    page = polish_results.get_data(as_text=True)
    assert "1 submitted response" in page and "These figures follow the filters" in page
    assert "<li>Polish: 1</li>" in page and "?language=ur" in page
    assert '<option value="pl" selected>Polish</option>' in page
    assert "/export/responses.csv?language=pl" in page

    polish = client.get(f"/staff/results/surveys/{survey_id}/quotes?language=pl")
    page = polish.get_data(as_text=True)
    assert "1 answer" in page and "&lt;b&gt;za długo&lt;/b&gt;" in page and ENGLISH not in page
    assert "Not yet analysed: translate it" in page

    csv_text = client.get(
        f"/staff/results/surveys/{survey_id}/export/responses.csv?language=ur"
    ).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert rows[0][-1] == "Language"
    assert [row[-1] for row in rows[1:]] == ["Urdu"]
    assert rows[1][-2] == URDU

    everything = client.get(f"/staff/results/surveys/{survey_id}/export/responses.xlsx")
    sheet = load_workbook(io.BytesIO(everything.get_data()), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "Language"
    assert sorted(row[-1] for row in values[1:]) == ["English", "Polish", "Urdu"]


def test_the_review_queue_waits_for_the_translation_and_shows_it(app, staff_client):
    survey_id, ids = _survey_with_answers(app)
    client = staff_client(Role.COMMISSIONER)
    queue = client.get(f"/staff/review/queue?survey={survey_id}").get_data(as_text=True)
    assert f"/staff/review/{ids['en']}" in queue
    assert f"/staff/review/{ids['pl']}" not in queue and f"/staff/review/{ids['ur']}" not in queue
    assert client.get(f"/staff/review/{ids['pl']}").status_code == 404

    client.post(f"/staff/answers/{ids['pl']}/translation", data={"translation": TRANSLATION})
    queue = client.get(f"/staff/review/queue?survey={survey_id}").get_data(as_text=True)
    assert f"/staff/review/{ids['pl']}" in queue
    page = client.get(f"/staff/review/{ids['pl']}").get_data(as_text=True)
    assert 'id="answer-text" lang="pl" dir="ltr"' in page and "&lt;b&gt;za długo&lt;/b&gt;" in page
    assert "Written in Polish. Staff translation, which the analysis reads:" in page
    assert TRANSLATION in page


def test_retention_clears_the_translation_with_the_words(app):
    from datetime import timedelta

    from engage.listen import retention
    from engage.schema import utcnow

    survey_id, ids = _survey_with_answers(app)
    with app.app_context():
        answer = db.session.get(Answer, ids["pl"])
        answer.translation = TRANSLATION
        survey = db.session.get(Survey, survey_id)
        with tally.recount([answer.response_id]):
            answer.response.submitted_at = utcnow() - timedelta(days=survey.retention_days + 1)
        db.session.commit()
        retention.purge()
        db.session.commit()
        answer = db.session.get(Answer, ids["pl"])
        assert answer.text is None and answer.translation is None
        assert db.session.get(Answer, ids["ur"]).text == URDU  # not yet due


def test_the_response_page_shows_the_language_and_the_translation(app, staff_client):
    _survey_id, ids = _survey_with_answers(app)
    with app.app_context():
        polish = db.session.get(Answer, ids["pl"])
        polish.translation = TRANSLATION
        response_id = polish.response_id
        urdu_response = db.session.get(Answer, ids["ur"]).response_id
        db.session.commit()
    client = staff_client(Role.COMMISSIONER)
    page = client.get(f"/staff/responses/{response_id}").get_data(as_text=True)
    assert 'lang="pl" dir="ltr">Czekamy &lt;b&gt;za długo&lt;/b&gt;' in page
    assert "Written in Polish." in page and f"Staff translation: {TRANSLATION}" in page
    urdu = client.get(f"/staff/responses/{urdu_response}").get_data(as_text=True)
    assert 'lang="ur" dir="rtl"' in urdu
    assert "Written in Urdu. Not yet analysed: it waits for a translation." in urdu


def test_answers_from_before_languages_get_one_and_stop_being_read_as_english(app):
    """`engage answers detect-languages`: answers stored without a language get one; a Polish
    one, analysed as English back then, loses that reading and waits for a translation (a
    confirmed sentiment stays: a person read it); a second run changes nothing."""
    with app.app_context():
        themes.seed_codebook()
        survey = make_survey("What could we do better?")
        responses = [make_response(survey, text) for text in (ENGLISH, POLISH, URDU)]
        for response in responses:
            response.answers[0].language = None  # as stored before languages were told
            submit_and_analyse(response)
        english, polish, urdu = (response.answers[0].id for response in responses)
        survey_id = survey.id
        confirmed = db.session.scalar(select(Sentiment).where(Sentiment.answer_id == urdu))
        first, second = db.session.scalars(select(Theme).order_by(Theme.id).limit(2))
        with learn_tally.recount([urdu, polish]):
            confirmed.confirmed_label = confirmed.label
            db.session.add(Coding(answer_id=polish, theme_id=first.id, source=CodingSource.AUTO))
            db.session.add(Coding(answer_id=polish, theme_id=second.id, source=CodingSource.STAFF))
        db.session.commit()
        assert all(_analysed(answer_id) for answer_id in (english, polish, urdu))

    runner = app.test_cli_runner()
    result = runner.invoke(args=["answers", "detect-languages"])
    assert result.exit_code == 0, result.output
    assert "Told the language of 3 written answers; 2 in another language" in result.output
    with app.app_context():
        assert [db.session.get(Answer, i).language for i in (english, polish, urdu)] == [
            "en",
            "pl",
            "ur",
        ]
        assert _analysed(english) and not _analysed(polish) and _analysed(urdu)
        kept = db.session.scalars(select(Coding).where(Coding.answer_id == polish)).all()
        assert [coding.source for coding in kept] == [CodingSource.STAFF]
        assert db.session.scalar(select(Answer.text).where(Answer.id == polish)) == POLISH
        scope = survey_scope(db.session.get(Survey, survey_id))
        assert not_yet_analysed(scope, Filters()) == [("pl", 1), ("ur", 1)]
    again = runner.invoke(args=["answers", "detect-languages"])
    assert "Told the language of 0 written answers; 0 in another language" in again.output
