"""Changing an answer on "Check your answers": questions the change reveals are asked before
the check page; answers a change hides are set aside, listed, restored if the change is undone,
and never sent. The question count never goes backwards along any branch."""

from __future__ import annotations

import re

from sqlalchemy import select

from engage.extensions import db
from engage.listen.models import Answer, Response, ResponseStatus
from tests.helpers.respondent import EASY, STANDARD, answer, begin, submission_token

PROGRESS = re.compile(r"Question (\d+) of (\d+)")


def _answer_no_path(client):
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "no"})
    answer(client, EASY, "better", {"better": "A quiet room"})
    answer(client, EASY, "answered_how", {"answered_how": "own"})
    answer(client, EASY, "age_band", {"age_band": "8_11"})


def _stored_answers(app) -> dict[str, Answer]:
    with app.app_context():
        return {a.question.key: a for a in db.session.scalars(select(Answer))}


def test_changing_no_to_yes_asks_every_question_it_reveals_then_checks(app, client, demo):
    _answer_no_path(client)
    step = answer(client, EASY, "get_help", {"get_help": "yes"}, change=True)
    walked = []
    while "/check" not in step.headers["Location"]:
        location = step.headers["Location"]
        assert "change=1" in location
        key = location.split("/questions/")[1].split("?")[0]
        walked.append(key)
        page = client.get(location).get_data(as_text=True)
        # Back goes to the check page, as for the change that started the walk.
        assert f'href="/surveys/{EASY}/check"' in page
        reply = {
            "feel_about_help": {"feel_about_help": "happy"},
            "helps_most": {"helps_most": ["games", "other"]},
            "helps_most_other": {"helps_most_other": "My friend Sam"},
            "listened_to": {"listened_to": "agree"},
        }[key]
        step = answer(client, EASY, key, reply, change=True)
    assert walked == ["feel_about_help", "helps_most", "helps_most_other", "listened_to"]
    check = client.get(f"/surveys/{EASY}/check").get_data(as_text=True)
    assert "Not answered" not in check
    assert "My friend Sam" in check and "A quiet room" in check
    # Easy read: each chosen answer's symbol beside its words, decorative.
    assert 'symbols/2705.svg" alt=""' in check and 'symbols/1F3B2.svg" alt=""' in check


def test_a_change_sets_answers_aside_and_undoing_it_restores_them(app, client, demo):
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "yes"})
    answer(client, EASY, "feel_about_help", {"feel_about_help": "happy"})
    answer(client, EASY, "helps_most", {"helps_most": ["pictures", "other"]})
    answer(client, EASY, "helps_most_other", {"helps_most_other": "My big sister"})
    answer(client, EASY, "listened_to", {"listened_to": "agree"})
    answer(client, EASY, "better", {"better": "More time"})
    answer(client, EASY, "answered_how", {"answered_how": "own"})
    answer(client, EASY, "age_band", {"age_band": "8_11"})

    changed = answer(client, EASY, "get_help", {"get_help": "no"}, change=True)
    assert changed.headers["Location"].endswith("/check")
    check = client.get(f"/surveys/{EASY}/check").get_data(as_text=True)
    kept = check.split("Answers we will not send")[1].split("Send your answers")[0]
    assert "My big sister" in kept and "Pictures" in kept and "Happy" in kept
    # Hidden answers are not answers of the draft any more (results never count them).
    assert {"helps_most", "helps_most_other", "feel_about_help"}.isdisjoint(_stored_answers(app))

    undone = answer(client, EASY, "get_help", {"get_help": "yes"}, change=True)
    # Everything the change had hidden comes back, so there is nothing new to ask.
    assert undone.headers["Location"].endswith("/check")
    stored = _stored_answers(app)
    assert stored["helps_most"].choices == ["pictures", "other"]
    assert stored["helps_most_other"].text == "My big sister"
    assert stored["feel_about_help"].choice == "happy"
    assert "Answers we will not send" not in client.get(f"/surveys/{EASY}/check").get_data(
        as_text=True
    )


def test_answers_set_aside_at_submit_are_not_sent(app, client, demo):
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "yes"})
    answer(client, EASY, "feel_about_help", {"feel_about_help": "sad"})
    answer(client, EASY, "get_help", {"get_help": "no"}, change=True)
    token = submission_token(client, EASY)
    client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.status == ResponseStatus.SUBMITTED
        assert response.set_aside_answers is None
        assert [a.question.key for a in response.answers] == ["get_help"]


def _walk(client, slug, choose):
    """Answer a survey from the start, choosing with choose(key); the progress seen per page."""
    seen = []
    location = begin(client, slug)
    while "/questions/" in location:
        page = client.get(location).get_data(as_text=True)
        number, total = map(int, PROGRESS.search(page).groups())
        key = location.split("/questions/")[1].split("?")[0]
        seen.append((key, number, total))
        location = answer(client, slug, key, choose(key)).headers["Location"]
    return seen


def _assert_forward_only(seen):
    for (_, number, total), (_, next_number, next_total) in zip(seen, seen[1:], strict=False):
        assert next_number > number, seen
        assert next_total <= total, seen
        assert next_number <= next_total, seen
    assert seen[-1][1] == seen[-1][2], seen


def test_question_count_never_goes_backwards_along_any_branch(app, demo):
    branches = {
        "yes, something else": {
            "get_help": {"get_help": "yes"},
            "helps_most": {"helps_most": ["other"]},
        },
        "yes": {"get_help": {"get_help": "yes"}, "helps_most": {"helps_most": ["games"]}},
        "no": {"get_help": {"get_help": "no"}},
        "skipped": {},
    }
    lengths = {}
    for name, choices in branches.items():
        seen = _walk(app.test_client(), EASY, lambda key, choices=choices: choices.get(key, {}))
        _assert_forward_only(seen)
        lengths[name] = len(seen)
    assert lengths == {"yes, something else": 8, "yes": 7, "no": 4, "skipped": 4}
    for used in ("yes", "no"):
        seen = _walk(app.test_client(), STANDARD, lambda key, used=used: {"used_local_offer": used})
        _assert_forward_only(seen)


def test_change_link_to_a_question_sharing_a_page_opens_that_page(app, client, demo):
    from engage.ask.models import Survey

    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == STANDARD))
        survey.one_question_per_page = False
        db.session.commit()
    begin(client, STANDARD)
    answer(client, STANDARD, "respondent_group", {"respondent_group": "parent_carer"})
    answer(client, STANDARD, "used_local_offer", {"used_local_offer": "no"})
    answer(client, STANDARD, "sen_support", {"sen_support": "very_well", "listened_to": "agree"})
    answer(client, STANDARD, "one_change", {"one_change": "A named contact"})
    check = client.get(f"/surveys/{STANDARD}/check").get_data(as_text=True)
    assert f'href="/surveys/{STANDARD}/questions/listened_to?change=1"' in check
    opened = client.get(f"/surveys/{STANDARD}/questions/listened_to?change=1")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith("/questions/sen_support?change=1")
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert 'value="agree" checked' in page
    back = answer(
        client,
        STANDARD,
        "sen_support",
        {"sen_support": "very_well", "listened_to": "disagree"},
        change=True,
    )
    assert back.headers["Location"].endswith("/check")
