"""Survey copy never promises a confidentiality that safeguarding would break, and every page
says where to get help now."""

import re

import pytest

from tests.conftest import REPO

PROMISES = re.compile(
    r"\b(confidential|no one will (ever )?know|nobody will (ever )?know|"
    r"completely anonymous|totally anonymous|never be shared)\b",
    re.I,
)
QUALIFIED = re.compile(r"unless we're worried|unless we are worried", re.I)
FILES = sorted([*REPO.glob("engage/templates/**/*.html"), *REPO.glob("surveys/*.yaml")])


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(REPO)) for p in FILES])
def test_no_unqualified_confidentiality_promise(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if PROMISES.search(line):
            assert QUALIFIED.search(line), f"{path}:{number}: {line.strip()}"


def test_lint_catches_a_promise():
    assert PROMISES.search("Your answers are confidential.")
    assert not PROMISES.search("We won't share your name unless we're worried about you.")


@pytest.mark.parametrize("path", ["/", "/privacy", "/surveys/talking-help-at-school", "/resume"])
def test_every_page_says_where_to_get_help_now(client, demo, path):
    page = client.get(path).get_data(as_text=True)
    # The numbers are links a phone can call.
    assert 'href="tel:999"' in page
    assert 'Childline on <a class="govuk-link" href="tel:08001111">0800 1111</a>' in page
