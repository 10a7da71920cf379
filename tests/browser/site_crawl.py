"""Discover the site's pages as a visitor and as staff would, so the accessibility checks
cover every page that exists today and every page another step adds tomorrow.

Only GET links are followed (plus each open survey's Start button, which a visitor must press
to reach the question pages); sign-out, deletions and downloads are never followed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from tests.conftest import PASSWORD

MAX_PAGES = 80
# A list page can link to hundreds of records of one kind; two of each shape are enough.
MAX_PER_SHAPE = 2
SKIP_EXTENSIONS = (
    ".csv",
    ".xlsx",
    ".xls",
    ".yaml",
    ".yml",
    ".atom",
    ".rss",
    ".json",
    ".xml",
    ".pdf",
    ".zip",
    ".svg",
    ".png",
    ".jpg",
    ".ics",
    ".txt",
    ".js",
    ".css",
)
SKIP_WORDS = re.compile(
    r"sign-out|signout|logout|log-out|/delete|/erase|/remove|/export|/download|/static/|/healthz",
    re.IGNORECASE,
)
# A page nothing links to, so that the error page is audited too.
MISSING_PAGE = "/this-page-does-not-exist"


@dataclass
class CrawledPage:
    path: str
    role: str
    status: int
    html: str
    found_on: str | None


@dataclass
class Crawl:
    """Pages visited across passes (public, then each staff role), never twice."""

    base_url: str
    limit: int = MAX_PAGES
    pages: list[CrawledPage] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    truncated: bool = False
    _seen: set[str] = field(default_factory=set)
    _shapes: dict[str, int] = field(default_factory=dict)
    _current: str | None = None

    def local_path(self, url: str) -> str | None:
        """The path and query of a same-origin GET link worth visiting, else None."""
        parts = urlsplit(url)
        base = urlsplit(self.base_url)
        if not parts.scheme and url.startswith("/") and not url.startswith("//"):
            parts = urlsplit(self.base_url + url)
        if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
            return None
        path = parts.path or "/"
        if path.lower().endswith(SKIP_EXTENSIONS) or SKIP_WORDS.search(path):
            return None
        return urlunsplit(("", "", path, parts.query, ""))

    def _shape(self, path: str) -> str:
        parts = urlsplit(path)
        if parts.query:
            # Query variants (?change=1, ?next=..., ?version=...) of one kind of page look alike:
            # two per kind of query within a section of the site are enough.
            section = parts.path.strip("/").split("/")[0]
            keys = sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair)
            return f"/{section}/...?" + "&".join(keys)
        return re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)

    def _admit(self, path: str, *, again: bool = False) -> bool:
        if again:
            return True
        if path in self._seen:
            return False
        shape = self._shape(path)
        if self._shapes.get(shape, 0) >= MAX_PER_SHAPE:
            return False
        self._seen.add(path)
        self._shapes[shape] = self._shapes.get(shape, 0) + 1
        return True

    def run(
        self,
        page,
        seeds: list[str],
        role: str,
        *,
        limit: int | None = None,
        visit: Callable[[object, CrawledPage], None] | None = None,
        expect_status: dict[str, int] | None = None,
        on_loaded: Callable[[object, CrawledPage], list[str]] | None = None,
    ) -> list[CrawledPage]:
        """Breadth-first from the seeds; visit(page, crawled) runs on each loaded page."""
        expect_status = expect_status or {}
        budget = min(limit or self.limit, self.limit - len(self.pages))
        # A later pass starts from its seeds even if an earlier pass saw them: a staff role's
        # home page links to pages that other roles do not get.
        queue: list[tuple[str, str | None]] = [(seed, None) for seed in seeds]
        done: list[CrawledPage] = []
        page.on("response", self._watch)
        try:
            while queue:
                path, found_on = queue.pop(0)
                if not self._admit(path, again=found_on is None and path in self._seen):
                    continue
                if len(done) >= budget:
                    self.truncated = True
                    break
                self._current = path
                crawled = self._load(page, path, role, found_on, expect_status)
                if crawled is None:
                    continue
                done.append(crawled)
                if visit:
                    visit(page, crawled)
                links = page.eval_on_selector_all(
                    "a[href]",
                    "links => links.filter(a => !a.hasAttribute('download')).map(a => a.href)",
                )
                extra = on_loaded(page, crawled) if on_loaded else []
                for link in [*links, *extra]:
                    local = self.local_path(link)
                    if local and local not in self._seen:
                        queue.append((local, path))
        finally:
            page.remove_listener("response", self._watch)
        return done

    def _load(self, page, path, role, found_on, expect_status) -> CrawledPage | None:
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            # A link to a file the browser downloads (an export with no file extension).
            if "Download is starting" in str(error):
                return None
            raise
        content_type = response.headers.get("content-type", "") if response else ""
        if "text/html" not in content_type:
            return None
        crawled = CrawledPage(path, role, response.status, response.text(), found_on)
        if response.status >= 400 and response.status != expect_status.get(path):
            self.broken.append(
                f"{path} ({role}) answered {response.status}, linked from {found_on}"
            )
        self.pages.append(crawled)
        return crawled

    def _watch(self, response) -> None:
        # A stylesheet, script or image that fails would make every later check misleading.
        if response.status >= 400 and response.request.resource_type != "document":
            self.broken.append(f"{response.url} answered {response.status}, on {self._current}")


def survey_seeds(app) -> tuple[list[str], dict[str, list[str]]]:
    """Start pages of every survey a visitor can see, and each survey's question pages."""
    from engage.ask.models import Survey, SurveyStatus

    with app.app_context():
        surveys = db.session.scalars(
            select(Survey).where(Survey.status != SurveyStatus.DRAFT).order_by(Survey.slug)
        ).all()
        starts = [f"/surveys/{survey.slug}" for survey in surveys]
        journeys = {
            f"/surveys/{survey.slug}": [
                f"/surveys/{survey.slug}/questions/{question.key}" for question in survey.questions
            ]
            + [f"/surveys/{survey.slug}/check"]
            for survey in surveys
            if survey.status == SurveyStatus.PUBLISHED
        }
    return starts, journeys


def start_survey(journeys: dict[str, list[str]]):
    """After a survey's start page loads, press Start so its question pages can be visited."""

    def _on_loaded(page, crawled: CrawledPage) -> list[str]:
        if crawled.path not in journeys:
            return []
        button = page.locator(f"form[action$='{crawled.path}/start'] button[type=submit]")
        if button.count() == 0:
            return []
        button.first.click()
        page.wait_for_load_state()
        return [page.url, *journeys[crawled.path]]

    return _on_loaded


def sign_in(page, make_user, role: Role) -> None:
    page.context.clear_cookies()
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(make_user(role))
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.startswith("/staff"), (
        f"signing in as {role.value} did not reach a staff page: {page.url}"
    )


def crawl_site(
    app,
    page,
    make_user,
    base_url: str,
    *,
    limit: int = MAX_PAGES,
    visit: Callable[[object, CrawledPage], None] | None = None,
    staff_roles: tuple[Role, ...] = (Role.COMMISSIONER, Role.ADMIN),
) -> Crawl:
    """Every public page from the home page and the survey start pages, then every staff page
    reachable from the staff home, signed in as each role in turn."""
    crawl = Crawl(base_url, limit=limit)
    starts, journeys = survey_seeds(app)
    public_seeds = ["/", *starts, "/accessibility", "/privacy", "/resume", MISSING_PAGE]
    # At most half the budget for public pages; the first staff role gets what is left but
    # a reserve for each later role, which only needs the pages the earlier roles could not see.
    crawl.run(
        page,
        public_seeds,
        "public",
        limit=limit // 2 if staff_roles else limit,
        visit=visit,
        expect_status={MISSING_PAGE: 404},
        on_loaded=start_survey(journeys),
    )
    for number, role in enumerate(staff_roles):
        later_roles = len(staff_roles) - number - 1
        share = limit - len(crawl.pages) - later_roles * max(limit // 8, 2)
        sign_in(page, make_user, role)
        crawl.run(page, ["/staff/"], role.value, limit=share, visit=visit)
    page.context.clear_cookies()
    return crawl
