"""An area's own safeguarding phrases file: new categories and both levels, no deploy; a
file with a mistake is refused with its line number, the list that worked before stays in
force, and staff are told on the queue and by `engage check-phrases`."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn import safeguarding
from engage.learn.analysis import screen_submitted_response
from engage.learn.models import SafeguardingFlag
from engage.learn.text.screen import Level
from engage.respond.models import OutboxMessage
from tests.learn.factories import make_response, make_staff, make_survey

GOOD = """# Northmoor's own words
<elders> = nan grandad
[concern: Young carers]
look after my <elders>
[urgent: Physical abuse]
leathered me
"""
BAD = """[concern: Young carers]
look after my nan
[worrying: Young carers]
nobody helps
"""


@pytest.fixture
def phrases_file(app, tmp_path, monkeypatch):
    path = tmp_path / "northmoor_phrases.txt"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setitem(app.config, "SAFEGUARDING_PHRASES_FILE", str(path))
    return path


def _replace(path, text: str) -> None:
    # A new modification time, as when staff save the file again.
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, (stat.st_atime + 10, stat.st_mtime + 10))


def test_an_areas_file_adds_a_category_and_both_levels(app_context, phrases_file):
    lead = make_staff(Role.SAFEGUARDING_LEAD)
    survey = make_survey("Anything else?")
    screen_submitted_response(make_response(survey, "i look after my nan every night"))
    screen_submitted_response(make_response(survey, "he leathered me last week"))
    db.session.commit()
    flags = {flag.category: flag for flag in db.session.scalars(select(SafeguardingFlag))}
    assert flags["Young carers"].level is Level.CONCERN
    assert flags["Young carers"].matched_words == ["look", "after", "my", "nan"]
    assert flags["Physical abuse"].level is Level.URGENT
    # Only the urgent one e-mailed the lead.
    assert [email.to for email in db.session.scalars(select(OutboxMessage))] == [lead.email]
    assert safeguarding.phrases_file_problem() == ""


def test_a_bad_file_is_refused_with_its_line_and_the_old_list_stays(app_context, phrases_file):
    assert safeguarding.current_screen().screen("i look after my grandad").categories == [
        "Young carers"
    ]
    _replace(phrases_file, BAD)
    screen = safeguarding.current_screen()
    # The file that worked before is still in force, whole: its word group too.
    assert screen.screen("i look after my grandad").categories == ["Young carers"]
    assert not screen.screen("nobody helps")
    problem = safeguarding.phrases_file_problem()
    assert "northmoor_phrases.txt, line 3" in problem and "unknown heading" in problem
    # Mended: read again at once, no restart.
    _replace(phrases_file, GOOD + "[concern: Young carers]\nnobody helps\n")
    assert safeguarding.current_screen().screen("nobody helps")
    assert safeguarding.phrases_file_problem() == ""


def test_the_queue_shows_the_refused_file_and_its_line(app, staff_client, phrases_file):
    _replace(phrases_file, BAD)
    page = staff_client(Role.SAFEGUARDING_LEAD).get("/staff/safeguarding").get_data(as_text=True)
    assert "list of safeguarding words was not used" in page
    assert "northmoor_phrases.txt, line 3" in page
    _replace(phrases_file, GOOD)
    page = staff_client(Role.SAFEGUARDING_LEAD).get("/staff/safeguarding").get_data(as_text=True)
    assert "was not used" not in page


def test_check_phrases_names_the_file_and_line(app, phrases_file, tmp_path):
    runner = app.test_cli_runner()
    fine = runner.invoke(args=["check-phrases"])
    assert fine.exit_code == 0, fine.output
    assert "northmoor_phrases.txt: fine. 2 phrases added" in fine.output
    assert "(1 urgent, 1 concern) in 2 categories" in fine.output
    other = tmp_path / "draft.txt"
    other.write_text(BAD, encoding="utf-8")
    refused = runner.invoke(args=["check-phrases", str(other)])
    assert refused.exit_code == 1
    assert "Refused:" in refused.output and "draft.txt, line 3: unknown heading" in refused.output
    _replace(phrases_file, BAD)
    refused = runner.invoke(args=["check-phrases"])
    assert refused.exit_code == 1 and "northmoor_phrases.txt, line 3" in refused.output
    assert "keeps using the list that worked before" in refused.output
    analysed = runner.invoke(args=["analyse"])
    assert "Safeguarding phrases file refused" in analysed.output
    assert "northmoor_phrases.txt, line 3" in analysed.output


def test_an_areas_file_reads_a_word_in_another_sense_but_never_a_word_alone(
    app, phrases_file, tmp_path
):
    runner = app.test_cli_runner()
    _replace(phrases_file, GOOD + "[not harm: Local games]\nbeat* me at conkers\n")
    fine = runner.invoke(args=["check-phrases"])
    assert fine.exit_code == 0, fine.output
    assert "2 phrases added" in fine.output and "Words read in another sense: 1." in fine.output
    with app.app_context():
        screen = safeguarding.current_screen()
        assert not screen.screen("my brother beat me at conkers")
        assert screen.screen("my brother beat me at home").level is Level.URGENT
    other = tmp_path / "draft.txt"
    other.write_text("[not harm: Everything]\nbeat*\n", encoding="utf-8")
    refused = runner.invoke(args=["check-phrases", str(other)])
    assert refused.exit_code == 1
    assert "draft.txt, line 2: a [not harm] phrase needs two words" in refused.output


def test_a_missing_file_is_named(app, tmp_path, monkeypatch):
    missing = tmp_path / "not_there.txt"
    monkeypatch.setitem(app.config, "SAFEGUARDING_PHRASES_FILE", str(missing))
    refused = app.test_cli_runner().invoke(args=["check-phrases"])
    assert refused.exit_code == 1 and "not_there.txt: cannot be read" in refused.output
    with app.app_context():
        assert safeguarding.current_screen().screen("he hits me")
        assert db.session.scalar(select(func.count()).select_from(SafeguardingFlag)) == 0
