"""The governance report: files written with the expected sections, inline SVG, no external
URLs, small counts suppressed, CSV cells neutralised; and the staff download."""

import csv
import re
from datetime import UTC, date, datetime

import pytest

from engage.accounts.models import Role
from engage.extensions import db
from engage.reports import governance
from tests.helpers.reports import governance_fixture
from tests.improve import factories

SECTIONS = [
    "Summary",
    "Who responded",
    "What people told us",
    "What we are doing",
    "You said, we did",
    "Local Offer feedback report",
]


def test_period_parsing():
    assert governance.parse_period("2026-04..2027-03") == (date(2026, 4, 1), date(2027, 3, 31))
    for bad in ("2026-04", "2026-13..2027-01", "2027-04..2026-03", "x"):
        with pytest.raises(governance.ReportError):
            governance.parse_period(bad)


def test_cli_writes_html_and_csvs_with_the_sections_and_no_external_urls(app, tmp_path):
    with app.app_context():
        governance_fixture()
        db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["report", "--period", "2026-04..2027-03", "--output", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    html_files = list(tmp_path.glob("governance-2026-04-to-2027-03-*.html"))
    assert len(html_files) == 1
    html = html_files[0].read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f">{section}</h2>" in html
    # Three charts, each drawn for a phone and for a wider page.
    assert html.count('class="engage-chart"') == 3 and html.count("<svg") == 6
    assert "@container" in html  # the rules that pick a drawing come inline too
    # Self-contained: nothing to fetch (no src, no linked stylesheet); the only links are
    # anchors to the site's own pages (and the charts' references inside themselves).
    assert not re.search(r"""src\s*=""", html)
    assert all(
        href.startswith((governance.LOCAL_SITE + "/", "#"))
        for href in re.findall(r'href="([^"]*)"', html)
    )
    assert "<link" not in html and "<script" not in html and "@import" not in html
    assert "Finding help" in html and "Talking help" in html and "Long ago" not in html
    assert "fewer than 5" in html  # the one Waits response
    assert "<b>search</b>" not in html and "is hard" not in html  # no respondent words
    assert "We will rebuild search" in html and "(overdue)" in html
    assert governance.LOCAL_SITE + "/you-said-we-did/better-search" in html

    # The area-wide themes file, not the Local Offer's own (glob order is the filesystem's).
    (themes_csv,) = [p for p in tmp_path.glob("*-themes.csv") if "local-offer" not in p.name]
    rows = list(csv.reader(themes_csv.open(encoding="utf-8-sig", newline="")))
    assert rows[0] == ["Theme", "Responses", "Actions", "Published update"]
    assert rows[1][0].startswith("'=HYPERLINK")  # formula neutralised
    assert rows[1][1] == "6" and rows[2][1] == "fewer than 5"
    assert [row[3] for row in rows[1:]] == ["Yes", "No"]  # not True and False
    assert {path.name.split("-")[-1] for path in tmp_path.glob("*.csv")} >= {
        "responses.csv",
        "themes.csv",
        "actions.csv",
        "updates.csv",
    }
    local_offer = next(tmp_path.glob("*-local-offer-actions.csv")).read_text(encoding="utf-8")
    assert "We will rebuild search" in local_offer
    (actions_csv,) = [p for p in tmp_path.glob("*-actions.csv") if "local-offer" not in p.name]
    actions = list(csv.DictReader(actions_csv.open(encoding="utf-8-sig", newline="")))
    assert actions[0]["Overdue"] == "Yes" and actions[0]["Due"] == "2026-01-01"
    text = "".join(path.read_text(encoding="utf-8") for path in tmp_path.glob("*.csv"))
    assert "True" not in text and "False" not in text


def test_cli_for_one_engagement_and_bad_arguments(app, tmp_path):
    with app.app_context():
        governance_fixture()
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["report", "--engagement", "talking-help", "--output", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    html = next(tmp_path.glob("governance-talking-help-*.html")).read_text(encoding="utf-8")
    assert "Talking help" in html and "Finding help" not in html
    assert runner.invoke(args=["report"]).exit_code == 1
    assert runner.invoke(args=["report", "--engagement", "nope"]).exit_code == 1


def test_staff_download(app, staff_client):
    with app.app_context():
        governance_fixture()
        db.session.commit()
    client = staff_client(Role.VIEWER)
    assert client.get("/staff/reports").status_code == 200
    response = client.get("/staff/reports/governance?engagement=finding-help")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Local Offer feedback report" in response.get_data(as_text=True)
    response = client.get("/staff/reports/governance?engagement=finding-help&part=actions")
    assert response.mimetype == "text/csv"
    bad = client.get("/staff/reports/governance?period=2026")
    assert bad.status_code == 400 and "govuk-error-summary" in bad.get_data(as_text=True)


def _html(app, scope="finding-help") -> str:
    with app.app_context():
        return governance.html_for(governance.build(governance.scope_for(scope), use_cache=False))


def test_you_said_we_did_table_names_each_update_by_its_title(app):
    with app.app_context():
        governance_fixture()
        db.session.commit()
    html = _html(app)
    assert "built-in method" not in html
    table = html.split('id="you-said-we-did"')[1].split('id="local-offer"')[0]
    assert ">Better search</a>" in table


def test_links_in_the_report_are_absolute_from_the_site_address(app, staff_client, tmp_path):
    with app.app_context():
        governance_fixture()
        db.session.commit()
    app.config["SITE_URL"] = "https://engage.northmoor.example"
    try:
        html = _html(app)
        result = app.test_cli_runner().invoke(
            args=["report", "--engagement", "finding-help", "--output", str(tmp_path)]
        )
        downloaded = staff_client(Role.VIEWER).get(
            "/staff/reports/governance?engagement=finding-help&part=updates"
        )
    finally:
        app.config["SITE_URL"] = ""
    page = "https://engage.northmoor.example/you-said-we-did/better-search"
    assert f'<a href="{page}">' in html
    # Every link in the file leads to the site; none is site-relative.
    hrefs = [href for href in re.findall(r'href="([^"]*)"', html) if not href.startswith("#")]
    assert hrefs and all(href.startswith("https://engage.northmoor.example/") for href in hrefs)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(next(tmp_path.glob("*-updates.csv")).open(encoding="utf-8-sig")))
    assert rows[1][1] == page
    assert page in downloaded.get_data(as_text=True)
    # Not configured: the address the download was asked from.
    unconfigured = staff_client(Role.VIEWER).get(
        "/staff/reports/governance?engagement=finding-help"
    )
    assert 'href="http://localhost/you-said-we-did/better-search"' in unconfigured.get_data(
        as_text=True
    )


def test_an_update_published_before_the_close_is_before_close_never_negative(app):
    with app.app_context():
        early = factories.engagement(title="Early news", closes_on=date(2026, 7, 1))
        factories.update(early, title="Early", published_at=datetime(2026, 6, 20, tzinfo=UTC))
        db.session.commit()
        report = governance.build(governance.scope_for("early-news"), use_cache=False)
        csv_rows = list(
            csv.reader(governance.csv_for(report, "updates").lstrip("\ufeff").splitlines())
        )
    html = _html(app, "early-news")
    row = html.split(">Early</a>")[1].split("</tr>")[0]
    assert '<td class="number">before close</td>' in row
    assert not re.search(r">-\d+<", html)
    assert csv_rows[1][-1] == "before close"


def test_report_shows_approved_quotes_in_their_approved_wording(app, make_user):
    email = make_user(Role.COMMISSIONER)
    with app.app_context():
        governance_fixture()
        from engage.accounts.models import User
        from engage.learn.models import QuoteApproval
        from engage.listen.models import Answer

        staff = db.session.scalar(db.select(User).where(User.email == email))
        answer = db.session.scalar(db.select(Answer).order_by(Answer.id))
        db.session.add(
            QuoteApproval(
                answer_id=answer.id,
                published_text="The search <never> finds the right page",
                approved_by_id=staff.id,
            )
        )
        db.session.commit()
    html = _html(app)
    assert "none are approved" not in html and "no quotes are approved" not in html
    assert "1 quote is approved" in html
    assert "“The search &lt;never&gt; finds the right page”" in html
    assert "is hard" not in html  # the words as written never appear


def test_one_engagements_report_lists_only_its_own_actions(app):
    """Another engagement's action about the same theme is not this engagement's; an action
    of no engagement about a theme the engagement raised is."""
    with app.app_context():
        council = factories.organisation("Council")
        breaks = factories.service(council, "Short breaks")
        waits = factories.theme("Waits")
        ours = factories.engagement([breaks], "Short breaks review", closes_on=date(2026, 5, 1))
        theirs = factories.engagement([breaks], "Local Offer", closes_on=date(2026, 6, 1))
        factories.code(factories.response(factories.survey(ours)), waits)
        factories.code(factories.response(factories.survey(theirs)), waits)
        factories.action(owner=council, themes=[waits], title="Ours", engagement_=ours)
        factories.action(owner=council, themes=[waits], title="Theirs", engagement_=theirs)
        factories.action(owner=council, themes=[waits], title="Anyone's")
        db.session.commit()
        report = governance.build(governance.scope_for("short-breaks-review"), use_cache=False)
        assert sorted(row["action"] for row in report.actions) == ["Anyone's", "Ours"]
        (theme,) = report.themes
        assert theme["theme"] == "Waits" and theme["actions"] == 2
        html = governance.html_for(report)
        assert "Theirs" not in html
