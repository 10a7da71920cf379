"""The app's URL rules as tests walk them: every rule with its arguments filled in."""

from __future__ import annotations

import re


def example_url(rule) -> str:
    """The rule's URL with 1 for each argument (<int:survey_id>, <any(a, b):kind>, <slug>)."""
    url = rule.rule
    for argument in rule.arguments:
        url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{argument}>", "1", url)
    return url
