"""The identifying-details check run on a quote before it is published."""

from __future__ import annotations

import pytest

from engage.learn.text.identifying import identifying_details


def _found(text: str) -> set[tuple[str, str]]:
    return {(finding.kind, finding.text) for finding in identifying_details(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My son is Tom and he loves the games", {("name", "Tom")}),
        ("my daughter is called Amelia Jones, she is 9", {("name", "Amelia Jones")}),
        ("Our child's name is Priya", {("name", "Priya")}),
        ("My name is Sam", {("name", "Sam")}),
        ("I am Kai and I am 12", {("name", "Kai")}),
        ("Mrs Patel was kind", {("name", "Mrs Patel")}),
        ("My son is autistic and the help is good", set()),
        ("My son is happy now", set()),
        ("my son is tom", {("name", "tom")}),  # a given name after a cue, even in lower case
    ],
)
def test_names_after_a_cue(text, expected):
    assert {f for f in _found(text) if f[0] == "name"} == expected


@pytest.mark.parametrize(
    "text",
    ["Call me on 07700 900123", "ring 0113 496 0000 please", "my number is +44 7700 900123"],
)
def test_phone_numbers(text):
    assert any(kind == "phone number" for kind, _ in _found(text))


def test_email_and_postcode():
    found = _found("Email jo.bloggs+sen@example.co.uk, we live at LS1 4AP near the school")
    assert ("email address", "jo.bloggs+sen@example.co.uk") in found
    assert ("postcode", "LS1 4AP") in found
    assert ("postcode", "sw1a1aa") in _found("postcode sw1a1aa")


@pytest.mark.parametrize(
    "text",
    [
        "The wait was 18 months and 3 weeks",
        "We waited from 2024 to 2026",
        "Speech therapy helped a lot",
        "It was 10/10",
        "",
    ],
)
def test_ordinary_answers_find_nothing(text):
    assert identifying_details(text) == []
