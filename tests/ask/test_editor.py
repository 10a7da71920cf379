"""The staff survey editor through HTTP: building surveys with every kind of question,
errors that keep what was typed, the rules for published surveys, reordering, skip logic,
answers (options), symbols, YAML export and import, and who may change what."""

from __future__ import annotations

import secrets

import pytest
import yaml
from sqlalchemy import select

from engage.accounts.models import Role
from engage.ask.definitions import export_definition
from engage.ask.kinds import STANDARD_OPTIONS
from engage.ask.models import Question, QuestionKind, Survey, SurveyStatus
from engage.extensions import db
from engage.listen.models import Channel, Response, ResponseStatus
from tests.conftest import PASSWORD
from tests.helpers.forms import CONFIRMED, KIND_FORMS, add_question, create_survey, survey_form


def load_survey(app, slug: str) -> Survey:
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        for question in survey.questions:
            _ = list(question.options)
        db.session.expunge_all()
        return survey


def questions(app, slug: str) -> list[Question]:
    return load_survey(app, slug).questions


def add_response(app, slug: str) -> None:
    """A response as the runner would store it: the editing rules only look at its existence."""
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        db.session.add(
            Response(
                survey_id=survey.id,
                channel=Channel.ONLINE,
                status=ResponseStatus.SUBMITTED,
                submission_token=secrets.token_hex(16),
            )
        )
        db.session.commit()


@pytest.fixture
def editor(staff_client):
    return staff_client(Role.COMMISSIONER)


def test_staff_build_a_survey_with_every_kind_of_question(app, editor):
    slug = create_survey(editor)
    assert slug == "help-with-talking-at-school"
    choose = editor.get(f"/staff/surveys/{slug}/questions/new").get_data(as_text=True)
    assert "Feelings scale (faces)" in choose and "About you: how it was answered" in choose

    for kind in KIND_FORMS:
        response = add_question(editor, slug, kind)
        assert response.status_code == 303, (kind, response.get_data(as_text=True))

    survey = load_survey(app, slug)
    assert [q.kind.value for q in survey.questions] == list(KIND_FORMS)
    assert [q.position for q in survey.questions] == list(range(len(KIND_FORMS)))
    by_kind = {q.kind: q for q in survey.questions}
    assert [o.text for o in by_kind[QuestionKind.SINGLE_CHOICE].options] == [
        "At school",
        "At home",
        "At a clinic",
    ]
    assert [o.value for o in by_kind[QuestionKind.MULTIPLE_CHOICE].options] == [
        "pictures",
        "games",
        "time",
    ]
    for kind, standard in STANDARD_OPTIONS.items():
        options = by_kind[kind].options
        assert [(o.value, o.text, o.symbol) for o in options] == [
            (s.value, s.text, s.symbol) for s in standard
        ]
    assert by_kind[QuestionKind.FREE_TEXT].max_length == 500
    assert by_kind[QuestionKind.FREE_TEXT].options == []
    assert by_kind[QuestionKind.YES_NO].key == "do_you_get_help_with_talking"

    page = editor.get(f"/staff/surveys/{slug}").get_data(as_text=True)
    assert "How do you feel about your help?" in page
    assert f'href="/staff/surveys/{slug}/preview"' in page
    # Symbols beside the standard answers have their description as alt text.
    assert 'alt="beaming face with smiling eyes"' in editor.get(
        f"/staff/surveys/{slug}/questions/{by_kind[QuestionKind.FEELINGS_SCALE].id}"
    ).get_data(as_text=True)

    # Publishing asks first, on a page of its own; an unconfirmed POST publishes nothing.
    confirm = editor.get(f"/staff/surveys/{slug}/publish").get_data(as_text=True)
    assert "Are you sure you want to publish this survey?" in confirm
    assert "Yes, publish the survey" in confirm
    unconfirmed = editor.post(f"/staff/surveys/{slug}/publish")
    assert unconfirmed.headers["Location"].endswith(f"/staff/surveys/{slug}/publish")
    assert load_survey(app, slug).status == SurveyStatus.DRAFT
    assert editor.post(f"/staff/surveys/{slug}/publish", data=CONFIRMED).status_code == 303
    assert load_survey(app, slug).status == SurveyStatus.PUBLISHED
    assert editor.get(f"/surveys/{slug}").status_code == 200


def test_survey_list_shows_status_and_response_counts(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "yes_no")
    editor.post(f"/staff/surveys/{slug}/publish", data=CONFIRMED)
    add_response(app, slug)
    add_response(app, slug)
    page = editor.get("/staff/surveys/").get_data(as_text=True)
    assert "Help with talking at school" in page and "Published" in page
    assert "2 responses" in page and "1 question" in page


def test_survey_errors_are_summarised_and_typed_values_kept(app, editor):
    response = editor.post(
        "/staff/surveys/new",
        data=survey_form(
            title="",
            description="Kept <i>text</i>",
            minutes_to_complete="ten",
            retention_days="5",
            audience="",
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter a title" in page
    assert "Enter a whole number from 1 to 120" in page and 'value="ten"' in page
    assert "Enter a whole number from 30 to 3650" in page and 'value="5"' in page
    assert "Select who the survey is for" in page
    assert "Kept &lt;i&gt;text&lt;/i&gt;" in page
    with app.app_context():
        assert db.session.scalar(select(Survey)) is None


def test_question_errors_keep_what_was_typed(app, editor):
    slug = create_survey(editor)
    long_text = "Why " * 130
    response = add_question(
        editor,
        slug,
        "single_choice",
        text=long_text,
        easy_read_text="Easy <words>",
        options="Only one",
        hint="A hint",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Question must be 500 characters or fewer" in page
    assert long_text.strip() in page and "Easy &lt;words&gt;" in page and "A hint" in page

    response = add_question(editor, slug, "single_choice", options="Only one")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter at least 2 answers, one on each line" in page and 'href="#options"' in page
    assert "Only one" in page
    response = add_question(editor, slug, "free_text", max_length="5")
    assert "Enter a whole number from 10 to 10000" in response.get_data(as_text=True)
    assert questions(app, slug) == []
    assert editor.get(f"/staff/surveys/{slug}/questions/new?kind=").status_code == 400


def test_editing_a_question_changes_its_wording(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "free_text")
    (question,) = questions(app, slug)
    form = editor.get(f"/staff/surveys/{slug}/questions/{question.id}").get_data(as_text=True)
    assert "What would make help better?" in form
    response = editor.post(
        f"/staff/surveys/{slug}/questions/{question.id}",
        data={
            "text": "What could be better?",
            "easy_read_text": "What would help?",
            "hint": "Anything",
            "easy_read_hint": "",
            "section": "Your ideas",
            "required": "y",
            "max_length": "800",
            "show_if": "",
        },
    )
    assert response.status_code == 303
    (changed,) = questions(app, slug)
    assert (changed.text, changed.easy_read_text, changed.section) == (
        "What could be better?",
        "What would help?",
        "Your ideas",
    )
    assert changed.required and changed.max_length == 800 and changed.key == question.key


def question_data(question: Question, **changes) -> dict:
    data = {
        "text": question.text,
        "easy_read_text": question.easy_read_text,
        "hint": question.hint,
        "easy_read_hint": question.easy_read_hint,
        "section": question.section,
        "max_length": str(question.max_length),
        "symbol": question.symbol or "",
        "show_if": f"{question.show_if_key}={question.show_if_value}"
        if question.show_if_key
        else "",
    }
    data.update(changes)
    return data


def test_published_survey_with_responses_can_only_gain_questions_or_close(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "single_choice")
    add_question(editor, slug, "yes_no")
    editor.post(f"/staff/surveys/{slug}/publish", data=CONFIRMED)
    add_response(app, slug)
    first, second = questions(app, slug)
    option = first.options[0]
    base = f"/staff/surveys/{slug}/questions"
    message = "This survey has responses, so its questions and answers can no longer be changed"

    refused = [
        editor.post(f"{base}/{first.id}", data=question_data(first, text="Changed")),
        editor.post(f"{base}/{second.id}/move", data={"direction": "up"}),
        editor.post(f"{base}/{second.id}/remove"),
        editor.post(f"{base}/{first.id}/options/{option.id}", data={"text": "Changed"}),
        editor.post(f"{base}/{first.id}/options/new", data={"text": "Somewhere else"}),
        editor.post(f"{base}/{first.id}/options/{option.id}/move", data={"direction": "down"}),
        editor.post(f"{base}/{first.id}/options/{option.id}/remove"),
    ]
    for response in refused:
        page = response.get_data(as_text=True)
        assert response.status_code in (400, 409)
        assert "There is a problem" in page and message in page
    after = questions(app, slug)
    assert [(q.id, q.text, q.position) for q in after] == [
        (first.id, first.text, 0),
        (second.id, second.text, 1),
    ]
    assert [o.text for o in after[0].options] == ["At school", "At home", "At a clinic"]

    # Audience and mode are fixed; the wording of the survey's settings is not.
    response = editor.post(f"/staff/surveys/{slug}/settings", data=survey_form(audience="everyone"))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = editor.post(
        f"/staff/surveys/{slug}/settings", data=survey_form(title="Talking help at school")
    )
    assert response.status_code == 303

    # Gaining a question appends it at the end; closing is allowed.
    assert add_question(editor, slug, "free_text").status_code == 303
    assert [q.kind.value for q in questions(app, slug)] == ["single_choice", "yes_no", "free_text"]
    page = editor.get(f"/staff/surveys/{slug}").get_data(as_text=True)
    assert "Move up" not in page and "People have started answering this survey" in page
    assert editor.post(f"/staff/surveys/{slug}/close").status_code == 303
    assert load_survey(app, slug).status == SurveyStatus.CLOSED


def test_published_survey_without_responses_can_still_be_edited(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "yes_no")
    add_question(editor, slug, "free_text")
    editor.post(f"/staff/surveys/{slug}/publish", data=CONFIRMED)
    first, second = questions(app, slug)
    response = editor.post(
        f"/staff/surveys/{slug}/questions/{first.id}",
        data=question_data(first, text="Do you get help?"),
    )
    assert response.status_code == 303
    assert (
        editor.post(
            f"/staff/surveys/{slug}/questions/{second.id}/move", data={"direction": "up"}
        ).status_code
        == 303
    )
    assert [q.text for q in questions(app, slug)] == [second.text, "Do you get help?"]


def test_reorder_questions_with_move_up_and_move_down(app, editor):
    slug = create_survey(editor)
    for kind in ("yes_no", "feelings_scale", "free_text"):
        add_question(editor, slug, kind)
    first, second, third = questions(app, slug)
    base = f"/staff/surveys/{slug}/questions"
    assert editor.post(f"{base}/{third.id}/move", data={"direction": "up"}).status_code == 303
    assert [q.id for q in questions(app, slug)] == [first.id, third.id, second.id]
    assert editor.post(f"{base}/{first.id}/move", data={"direction": "down"}).status_code == 303
    after = questions(app, slug)
    assert [q.id for q in after] == [third.id, first.id, second.id]
    assert [q.position for q in after] == [0, 1, 2]
    # The last question cannot go further down.
    response = editor.post(f"{base}/{second.id}/move", data={"direction": "down"})
    assert response.status_code == 409
    assert "That question cannot move further" in response.get_data(as_text=True)


def test_skip_logic_points_only_at_an_earlier_answer(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "yes_no")
    add_question(editor, slug, "free_text", show_if="do_you_get_help_with_talking=yes")
    add_question(editor, slug, "feelings_scale")
    target, dependent, later = questions(app, slug)
    assert (dependent.show_if_key, dependent.show_if_value) == (target.key, "yes")
    base = f"/staff/surveys/{slug}/questions"

    # Only earlier questions with options are offered.
    form = editor.get(f"{base}/{dependent.id}").get_data(as_text=True)
    assert "Only when ‘Do you get help with talking?’ is ‘Not sure’" in form
    assert "How do you feel about your help?" not in form
    # A later question, a free-text question or a value that is not an option is refused.
    for show_if in (f"{later.key}=happy", f"{dependent.key}=x", f"{target.key}=maybe"):
        response = editor.post(
            f"{base}/{dependent.id}", data=question_data(dependent, show_if=show_if)
        )
        assert response.status_code == 400, show_if
        assert 'href="#show_if"' in response.get_data(as_text=True)
    response = editor.post(
        f"{base}/{later.id}", data=question_data(later, show_if=f"{later.key}=happy")
    )
    assert response.status_code == 400

    # Moving the dependent question above the one it depends on, or that one below it: refused.
    response = editor.post(f"{base}/{dependent.id}/move", data={"direction": "up"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "so it cannot move above it" in page
    response = editor.post(f"{base}/{target.id}/move", data={"direction": "down"})
    assert response.status_code == 409
    assert "cannot move below it" in response.get_data(as_text=True)
    # Nor can the question it depends on be removed.
    response = editor.post(f"{base}/{target.id}/remove")
    assert response.status_code == 409
    assert "before removing this question" in response.get_data(as_text=True)
    assert [q.id for q in questions(app, slug)] == [target.id, dependent.id, later.id]

    # Another question may move between them.
    assert editor.post(f"{base}/{later.id}/move", data={"direction": "up"}).status_code == 303
    assert [q.id for q in questions(app, slug)] == [target.id, later.id, dependent.id]


def test_removing_a_question_after_confirming(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "yes_no")
    add_question(editor, slug, "free_text")
    first, second = questions(app, slug)
    confirm = editor.get(f"/staff/surveys/{slug}/questions/{first.id}/remove")
    assert "Remove this question?" in confirm.get_data(as_text=True)
    assert editor.post(f"/staff/surveys/{slug}/questions/{first.id}/remove").status_code == 303
    (left,) = questions(app, slug)
    assert left.id == second.id and left.position == 0


def test_answers_of_choice_questions_are_added_edited_reordered_and_removed(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "single_choice", options="At school\nAt home")
    (question,) = questions(app, slug)
    base = f"/staff/surveys/{slug}/questions/{question.id}/options"
    response = editor.post(
        f"{base}/new",
        data={"text": "At a clinic", "easy_read_text": "At the clinic", "symbol": "1F3E5"},
    )
    assert response.status_code == 303
    school, home, clinic = questions(app, slug)[0].options
    assert (clinic.value, clinic.easy_read_text, clinic.symbol) == (
        "at_a_clinic",
        "At the clinic",
        "1F3E5",
    )
    response = editor.post(f"{base}/{home.id}", data={"text": "At my home", "symbol": ""})
    assert response.status_code == 303
    assert editor.post(f"{base}/{clinic.id}/move", data={"direction": "up"}).status_code == 303
    assert [o.text for o in questions(app, slug)[0].options] == [
        "At school",
        "At a clinic",
        "At my home",
    ]
    assert editor.post(f"{base}/{school.id}/remove").status_code == 303
    remaining = questions(app, slug)[0].options
    assert [(o.text, o.position) for o in remaining] == [("At a clinic", 0), ("At my home", 1)]
    # A question keeps at least two answers.
    response = editor.post(f"{base}/{clinic.id}/remove")
    assert response.status_code == 409
    assert "at least 2 answers" in response.get_data(as_text=True)
    response = editor.post(f"{base}/new", data={"text": ""})
    assert response.status_code == 400 and "Enter the answer" in response.get_data(as_text=True)


def test_an_answer_that_skip_logic_depends_on_cannot_be_removed(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "single_choice", options="At school\nAt home\nAt a clinic")
    add_question(editor, slug, "free_text", show_if="where_do_you_get_help=at_home")
    first, _second = questions(app, slug)
    home = first.options[1]
    response = editor.post(f"/staff/surveys/{slug}/questions/{first.id}/options/{home.id}/remove")
    assert response.status_code == 409
    assert "is only shown when this answer is chosen" in response.get_data(as_text=True)


def test_standard_answers_cannot_be_edited(app, editor):
    slug = create_survey(editor)
    add_question(editor, slug, "feelings_scale")
    (question,) = questions(app, slug)
    option = question.options[0]
    base = f"/staff/surveys/{slug}/questions/{question.id}/options"
    response = editor.post(f"{base}/{option.id}", data={"text": "Brilliant"})
    assert response.status_code == 400
    assert "standard and cannot be changed" in response.get_data(as_text=True)
    assert editor.get(f"{base}/new").status_code == 404


def test_symbol_search_keeps_what_was_typed_and_offers_symbols_with_alt_text(app, editor):
    slug = create_survey(editor)
    response = add_question(
        editor,
        slug,
        "yes_no",
        text="Do you like school?",
        easy_read_text="Do you like it?",
        symbol_search="school",
        action="find_symbols",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Do you like school?" in page and "Do you like it?" in page
    assert 'value="1F3EB"' in page and 'alt="school"' in page
    assert "symbols match ‘school’" in page
    assert questions(app, slug) == []

    response = add_question(editor, slug, "yes_no", text="Do you like school?", symbol="1F3EB")
    assert response.status_code == 303
    assert questions(app, slug)[0].symbol == "1F3EB"
    response = add_question(editor, slug, "yes_no", symbol="NOT-A-SYMBOL")
    assert response.status_code == 400
    assert "Choose a symbol from the search results" in response.get_data(as_text=True)


def test_symbol_finder_page_lists_symbols_with_alt_text(editor):
    page = editor.get("/staff/symbols?keyword=bus").get_data(as_text=True)
    assert 'alt="bus"' in page and "1F68C" in page and "CC BY-SA 4.0" in page


def test_export_downloads_yaml_that_imports_back_exactly(app, editor, demo):
    slug = "talking-help-at-school"
    response = editor.get(f"/staff/surveys/{slug}/export.yaml")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    original = yaml.safe_load(text)
    copy = text.replace(f"slug: {slug}", "slug: talking-help-copy", 1)
    response = editor.post("/staff/surveys/import", data={"definition": copy})
    assert response.status_code == 303
    with app.app_context():
        imported = db.session.scalar(select(Survey).where(Survey.slug == "talking-help-copy"))
        assert export_definition(imported) | {"slug": slug} == original


def test_import_shows_the_field_path_and_reason_and_saves_nothing(app, editor):
    bad = yaml.safe_dump(
        {
            "slug": "bad-survey",
            "title": "Bad",
            "audience": "everyone",
            "mode": "standard",
            "questions": [
                {
                    "key": "colour",
                    "kind": "single_choice",
                    "text": "Colour?",
                    "options": [{"value": "red", "text": "Red"}],
                },
            ],
        }
    )
    response = editor.post("/staff/surveys/import", data={"definition": bad})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "questions[0].options: at least 2 needed" in page
    assert "slug: bad-survey" in page  # the pasted text is kept
    response = editor.post("/staff/surveys/import", data={"definition": "title: [unclosed"})
    assert "is not valid YAML" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Survey)) is None


def test_viewer_can_look_but_not_change(app, editor, staff_client):
    slug = create_survey(editor)
    add_question(editor, slug, "single_choice")
    (question,) = questions(app, slug)
    option = question.options[0]
    viewer = staff_client(Role.VIEWER)
    for url in (
        "/staff/surveys/",
        f"/staff/surveys/{slug}",
        f"/staff/surveys/{slug}/export.yaml",
        "/staff/symbols?keyword=cat",
    ):
        assert viewer.get(url).status_code == 200, url
    page = viewer.get(f"/staff/surveys/{slug}").get_data(as_text=True)
    assert "Add a question" not in page and "Publish survey" not in page

    base = f"/staff/surveys/{slug}/questions/{question.id}"
    forbidden = [
        viewer.get("/staff/surveys/new"),
        viewer.post("/staff/surveys/new", data=survey_form()),
        viewer.post(f"/staff/surveys/{slug}/settings", data=survey_form(title="Changed")),
        viewer.post(f"/staff/surveys/{slug}/publish"),
        viewer.post(f"/staff/surveys/{slug}/close"),
        viewer.post("/staff/surveys/import", data={"definition": "slug: x"}),
        viewer.get(f"/staff/surveys/{slug}/questions/new?kind=yes_no"),
        add_question(viewer, slug, "yes_no"),
        viewer.post(base, data=question_data(question, text="Changed")),
        viewer.post(f"{base}/move", data={"direction": "down"}),
        viewer.post(f"{base}/remove"),
        viewer.post(f"{base}/options/new", data={"text": "New"}),
        viewer.post(f"{base}/options/{option.id}", data={"text": "Changed"}),
        viewer.post(f"{base}/options/{option.id}/move", data={"direction": "down"}),
        viewer.post(f"{base}/options/{option.id}/remove"),
    ]
    assert [response.status_code for response in forbidden] == [403] * len(forbidden)
    survey = load_survey(app, slug)
    assert survey.title == "Help with talking at school" and survey.status == SurveyStatus.DRAFT
    assert len(survey.questions) == 1 and len(survey.questions[0].options) == 3


def test_editor_buttons_need_the_csrf_token(app, make_user, csrf_client):
    login_page = csrf_client.get("/staff/sign-in").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    csrf_client.post(
        "/staff/sign-in",
        data={
            "email": make_user(Role.ADMIN),
            "password": PASSWORD,
            "csrf_token": token,
        },
    )
    assert csrf_client.get("/staff/surveys/").status_code == 200
    assert csrf_client.post("/staff/surveys/new", data=survey_form()).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Survey)) is None


def test_survey_page_shows_the_easy_read_check(app, editor):
    slug = create_survey(editor)
    add_question(
        editor,
        slug,
        "single_choice",
        options="Yes\nNo",
        easy_read_text="Multidisciplinary professionals were consulted about "
        "the arrangements that were made for your educational provision",
    )
    page = editor.get(f"/staff/surveys/{slug}").get_data(as_text=True)
    assert "Easy-read check:" in page
    assert "<strong>Question 1</strong>" in page
    assert "<strong>Question 1, answer 1</strong>: easy-read option has no symbol" in page


def test_each_new_answer_is_length_limited(app, editor):
    slug = create_survey(editor)
    response = add_question(editor, slug, "multiple_choice", options="Short\n" + "L" * 201)
    assert response.status_code == 400
    assert "Each answer must be 200 characters or fewer" in response.get_data(as_text=True)
    response = add_question(
        editor, slug, "multiple_choice", options="\n".join(f"Answer {n}" for n in range(31))
    )
    assert "Enter 30 answers or fewer" in response.get_data(as_text=True)
    assert questions(app, slug) == []


def test_two_answers_with_the_same_words_are_refused_and_nothing_is_lost(app, editor):
    slug = create_survey(editor)
    typed = "At school\nAfter-school club\nAt home\nafter school  club"
    response = add_question(editor, slug, "multiple_choice", text="Where do you go?", options=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and 'href="#options"' in page
    assert "&#39;after school  club&#39; is there twice. Each answer must have different" in page
    assert "Where do you go?" in page and "After-school club\nAt home" in page
    assert questions(app, slug) == []

    add_question(editor, slug, "single_choice", options="After-school club\nAt home")
    (question,) = questions(app, slug)
    base = f"/staff/surveys/{slug}/questions/{question.id}/options"
    response = editor.post(f"{base}/new", data={"text": "After school club", "symbol": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is already an answer &#39;After-school club&#39;" in page
    assert 'value="After school club"' in page
    club, home = questions(app, slug)[0].options
    response = editor.post(f"{base}/{home.id}", data={"text": "AFTER-SCHOOL CLUB", "symbol": ""})
    assert response.status_code == 400
    assert [(o.value, o.text) for o in questions(app, slug)[0].options] == [
        ("after_school_club", "After-school club"),
        ("at_home", "At home"),
    ]
    # Easy-read words must differ too; an answer keeps its own words when edited.
    response = editor.post(
        f"{base}/{club.id}", data={"text": "After-school club", "easy_read_text": "Club"}
    )
    assert response.status_code == 303
    response = editor.post(f"{base}/{home.id}", data={"text": "At home", "easy_read_text": "club"})
    assert response.status_code == 400
    assert "There is already an answer &#39;Club&#39;" in response.get_data(as_text=True)
