"""Pages as a person sees them: requests by endpoint name (url_for), the status code checked,
the page parsed with BeautifulSoup, and readers for the parts tests look at (heading, tables,
error summary, summary lists).

    page = client_request.sign_in(Role.VIEWER).get("learn.survey_results", survey_id=3)
    assert page.table_rows("Responses by who answered: the numbers") == {...}

The fixtures `client_request`, `csrf_client_request` and `staff_request` (tests/conftest.py)
make these."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup, Comment
from flask import Flask, url_for

from engage.accounts.models import Role
from tests.helpers.staff import sign_in


def normalise(text: str) -> str:
    """Whitespace as a reader sees it: each run of spaces and line breaks as one space."""
    return " ".join(text.split())


def text_of(element) -> str:
    """An element's words, whitespace normalised."""
    return normalise(element.get_text(" "))


def _caption(table) -> str:
    return text_of(table.caption) if table.caption else ""


def _body_rows(table) -> dict[str, list[str]]:
    rows = {}
    for row in table.find_all("tr"):
        cells = row.find_all(["th", "td"])
        if cells and not row.find_parent("thead"):
            rows[text_of(cells[0])] = [text_of(cell) for cell in cells[1:]]
    return rows


class Page(BeautifulSoup):
    """A parsed page; `response` is the test client's response it came in."""

    response = None

    def __contains__(self, item) -> bool:
        # BeautifulSoup's `in` looks among the top elements, so "words" in page would be False
        # whatever the page says: a check that could never fail.
        if isinstance(item, str):
            raise TypeError("a Page is not text: look in page.words() or part of the page")
        return super().__contains__(item)

    @property
    def heading(self) -> str:
        """The page's h1."""
        found = self.find("h1")
        return text_of(found) if found else ""

    def text_of(self, selector: str = "body") -> str:
        """The words of the first element the CSS selector matches (it must match one)."""
        found = self.select_one(selector)
        assert found is not None, f"nothing matches {selector!r}"
        return text_of(found)

    def texts_of(self, selector: str) -> list[str]:
        """The words of every element the CSS selector matches, in page order."""
        return [text_of(found) for found in self.select(selector)]

    def words(self) -> str:
        """The body's words, leaving out the charts' drawings (their descriptions repeat the
        tables' numbers)."""
        strings = self.body.find_all(string=lambda s: not isinstance(s, Comment))
        return normalise(" ".join(s for s in strings if not s.find_parent("svg")))

    def tables(self) -> list[tuple[str, dict[str, list[str]]]]:
        """Each table as (caption, {first cell of a row: the row's other cells}), in page
        order; header rows are left out."""
        return [(_caption(table), _body_rows(table)) for table in self.find_all("table")]

    def table_rows(self, caption: str) -> dict[str, list[str]]:
        """The body rows of the one table with this caption: {first cell: the other cells}."""
        return _body_rows(self._table(caption))

    def table_cells(self, caption: str) -> dict[str, dict[str, str]]:
        """The one table with this caption as {first cell of a row: {column heading: cell}},
        for wide tables: cells named by their column's heading."""
        table = self._table(caption)
        headings = [text_of(cell) for cell in table.thead.find_all("th")][1:]
        return {
            row: dict(zip(headings, cells, strict=True)) for row, cells in _body_rows(table).items()
        }

    def _table(self, caption: str):
        tables = self.find_all("table")
        matching = [table for table in tables if _caption(table) == caption]
        assert len(matching) == 1, (
            f"{len(matching)} tables captioned {caption!r} in {[_caption(t) for t in tables]}"
        )
        return matching[0]

    @property
    def error_summary(self) -> list[str]:
        """The items of the GOV.UK error summary (empty when there is none)."""
        return self.texts_of(".govuk-error-summary__list li")

    def summary_list(self, selector: str = "dl.govuk-summary-list") -> dict[str, str]:
        """A GOV.UK summary list as {key: value}."""
        found = self.select_one(selector)
        assert found is not None, f"nothing matches {selector!r}"
        return {
            text_of(row.dt): text_of(row.dd) for row in found.select(".govuk-summary-list__row")
        }

    def field_value(self, name: str) -> str | None:
        """The value of the form field with this name (an input's value, a textarea's text)."""
        field = self.find(attrs={"name": name})
        if field is None:
            return None
        return field.get_text() if field.name == "textarea" else field.get("value")


class ClientRequest:
    """One person's browser on the app: requests by endpoint name and url_for values (values
    that are not part of the rule become the query string), each checked for its status code
    and returned as a Page. Signed out until sign_in(role).

    When the app checks CSRF tokens, a post sends the token of the last page fetched (as a
    browser sends the form's hidden field): get the form's page first."""

    def __init__(
        self, app: Flask, client=None, make_user: Callable[..., str] | None = None
    ) -> None:
        self.app = app
        self.client = client or app.test_client()
        self._make_user = make_user
        self._csrf_token: str | None = None

    def url(self, endpoint: str, **values) -> str:
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def sign_in(self, role: Role = Role.ADMIN, email: str | None = None) -> ClientRequest:
        """Sign in as a new staff member with this role (or as the account with this email)."""
        email = email or self._make_user(role)
        extra = {}
        if self.app.config.get("WTF_CSRF_ENABLED"):
            extra["csrf_token"] = self.get("accounts.login").field_value("csrf_token")
        response = sign_in(self.client, email, **extra)
        assert response.status_code == 303, response.get_data(as_text=True)
        self._csrf_token = None  # signing in starts a new session, with a new token
        return self

    def get(
        self,
        target: str,
        *,
        _expected_status: int = 200,
        _expected_redirect: str | None = None,
        _follow_redirects: bool = False,
        **values,
    ) -> Page:
        """GET an endpoint by name, with url_for values ("learn.survey_results",
        survey_id=3), or a path ("/staff/results")."""
        return self._request(
            "GET",
            self._url(target, values),
            None,
            _expected_status,
            _expected_redirect,
            _follow_redirects,
        )

    def post(
        self,
        target: str,
        _data: dict | None = None,
        *,
        _expected_status: int = 303,
        _expected_redirect: str | None = None,
        _follow_redirects: bool = False,
        _csrf: bool = True,
        **values,
    ) -> Page:
        """POST a form to an endpoint or path, as get(); _csrf=False leaves the CSRF token out
        (to show the post is refused)."""
        data = dict(_data or {})
        if _csrf and self.app.config.get("WTF_CSRF_ENABLED") and "csrf_token" not in data:
            assert self._csrf_token, "CSRF tokens are checked: get the form's page first"
            data["csrf_token"] = self._csrf_token
        return self._request(
            "POST",
            self._url(target, values),
            data,
            _expected_status,
            _expected_redirect,
            _follow_redirects,
        )

    def _url(self, target: str, values: dict) -> str:
        if target.startswith("/"):
            assert not values, "a path takes no url_for values"
            return target
        return self.url(target, **values)

    def _request(self, method, url, data, status, redirect, follow) -> Page:
        response = self.client.open(url, method=method, data=data, follow_redirects=follow)
        page = Page(response.get_data(as_text=True), "html.parser")
        page.response = response
        request = f"{method} {url}"
        assert response.status_code == status, (
            f"{request}: {response.status_code}, not {status}"
            f" (page: {page.heading!r}, errors: {page.error_summary})"
        )
        if redirect is not None:
            assert response.headers.get("Location") == redirect, (
                f"{request}: sent to {response.headers.get('Location')}, not {redirect}"
            )
        token = page.field_value("csrf_token")
        if token:
            self._csrf_token = token
        return page
