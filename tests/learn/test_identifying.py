"""The identifying-details check: people's names, schools and settings, places and contact
details, from the area's list and from how the words are written; offline."""

from __future__ import annotations

import socket

import pytest

from engage.learn import quotes
from engage.learn.text import identifying
from engage.learn.text.identifying import PlacesFileError, area_places, identifying_details


def _found(text: str) -> set[tuple[str, str]]:
    return {(finding.kind, finding.text) for finding in identifying_details(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tom Hargreaves needs more help", ("name", "Tom Hargreaves")),
        ("We saw Kwame Asante-Boateng last week", ("name", "Kwame Asante-Boateng")),
        ("my son jayden gets no help", ("name", "jayden")),
        ("Our SENCO, Ms Iqbal, fought for us", ("name", "Ms Iqbal")),
        ("our sendco mrs jones is useless", ("name", "mrs jones")),
        ("Sarah the OT was amazing", ("name", "Sarah")),
        ("Our key worker Dave stopped coming", ("name", "Dave")),
        ("Ask for Nurse Jackie", ("name", "Nurse Jackie")),
        ("My daughter Grace is 11", ("name", "Grace")),
        ("Thanks to Olena who translated", ("name", "Olena")),
        ("THANK YOU TO KAREN FOR EVERYTHING", ("name", "KAREN")),
    ],
)
def test_people_s_names(text, expected):
    assert expected in _found(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The demo area's own list, whatever the case and apostrophes.
        ("my son is at oakfield primary", ("school or setting", "oakfield primary")),
        ("St Aidans would not let him go", ("school or setting", "St Aidans")),
        ("We live in Hallam Vale", ("place", "Hallam Vale")),
        # Not on the list: a capitalised name before a school or place word.
        ("She goes to Elmwood Primary School", ("school or setting", "Elmwood Primary School")),
        ("Rainbow Tots Nursery said no", ("school or setting", "Rainbow Tots Nursery")),
        ("The park on Ashby Road has no swings", ("place", "Ashby Road")),
        ("We waited at Northmoor General Hospital", ("place", "Northmoor General Hospital")),
    ],
)
def test_schools_settings_and_places(text, expected):
    assert expected in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will the council ever answer?",
        "Hope this helps other families.",
        "May half term was hard with no respite.",
        "His Secondary School has no speech therapist.",
        "The Special School finally understands my son.",
        "The Short Breaks Team were really helpful.",
        "Speech and Language Therapy should be offered in school.",
        "We got help from Mencap when nobody else would.",
        "Very Happy With The Service We Have Had This Year.",
        "My son is autistic and the help is good",
        "The Sleep Clinic gave us some useful tips.",
        "THE LEA AND THE NHS NEVER TALK. ADHD AND ASD SUPPORT IS NONE.",
    ],
)
def test_what_identifies_no_one_finds_nothing(text):
    assert identifying_details(text) == []


def test_the_area_s_own_list_comes_from_the_configured_file(app, tmp_path):
    listed = tmp_path / "places.yaml"
    listed.write_text(
        "schools_and_settings:\n  - Quarry Bank Academy\nplaces:\n  - Lower Wick\n",
        encoding="utf-8",
    )
    text = "He is at quarry bank and we live in Lower Wick"

    def found() -> set[tuple[str, str]]:
        return {(finding.kind, finding.text) for finding in quotes.identifying_details(text)}

    with app.app_context():
        assert ("place", "Lower Wick") not in found()
        app.config["PLACES_FILE"] = str(listed)
        try:
            assert ("place", "Lower Wick") in found()
            # The file changes: the next check reads it again.
            listed.write_text("schools_and_settings:\n  - Quarry Bank\n", encoding="utf-8")
            assert ("school or setting", "quarry bank") in found()
        finally:
            app.config["PLACES_FILE"] = ""


def test_a_bad_places_file_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / "places.yaml"
    bad.write_text("schools_and_settings: Oakfield\n", encoding="utf-8")
    with pytest.raises(PlacesFileError, match="places.yaml: schools_and_settings must be a list"):
        area_places(bad)
    with pytest.raises(PlacesFileError, match="missing.yaml"):
        area_places(tmp_path / "missing.yaml")


def test_the_name_lists_load_with_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    identifying.given_names.cache_clear()
    names = identifying.given_names()
    # Faker's lists and Engage's own additions of children's names.
    assert {"margaret", "muhammad", "freddie", "zuzanna"} <= names


def test_a_bad_places_file_stops_the_app_starting(tmp_path):
    from engage.config import ConfigError
    from tests.conftest import make_app

    with pytest.raises(ConfigError, match="ENGAGE_PLACES_FILE: .*nowhere.yaml"):
        make_app(f"sqlite:///{tmp_path / 'x.db'}", PLACES_FILE=str(tmp_path / "nowhere.yaml"))
