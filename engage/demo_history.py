"""The living demo: a year of made-up history on top of the bare demo, so that results, the
dashboard, the governance report and the public "You said, we did" pages have something to show.

A closed engagement (short breaks, answered and reported back on) and the bare demo's two open
ones get a few hundred responses per survey over their opening months, analysed by the real
analysis; staff confirm a few codes, decide actions in every status (two overdue) and publish
two updates, one written in easy read for the young people. One fixed seed: the same words and
numbers every time, dated back from the day it is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from markupsafe import escape
from sqlalchemy import func, select

from engage.accounts.models import Role, User
from engage.ask.definitions import import_file
from engage.ask.models import Question, QuestionKind, Survey, SurveyStatus
from engage.demo import COUNCIL, DemoReport
from engage.demo_voices import writer
from engage.extensions import db
from engage.improve.actions import ActionFields, add_progress, save_action
from engage.improve.models import Action, ActionStatus
from engage.inform.models import (
    CommissioningStage,
    Engagement,
    EngagementStatus,
    Organisation,
    Service,
)
from engage.learn import review
from engage.learn.analysis import analyse_pending
from engage.learn.models import Coding, SentimentLabel, Theme
from engage.learn.quotes import approve_quote, quotable_answer
from engage.listen.models import Answer, Response
from engage.respond import updates
from engage.respond.models import Update
from engage.schema import utcnow
from engage.synthetic import generate

SEED = 20260401
CLOSED_SLUG = "short-breaks-review"
CLOSED_ENGAGEMENT = {
    "slug": CLOSED_SLUG,
    "title": "Short breaks for disabled children and their families",
    "easy_read_title": "Clubs and short breaks",
    "summary": "Tell us about short breaks, holiday clubs and time off from caring.",
    "easy_read_summary": "Tell us about clubs and fun things to do.",
    "why": "The council's short breaks contracts end next year. What families tell us decides "
    "what we buy next.",
    "easy_read_why": "We are choosing the clubs for next year.",
    "next_steps": "We will publish what you told us and what we changed.",
    "easy_read_next_steps": "We will tell you what we changed.",
    "stage": CommissioningStage.REVIEW,
}
# Days back from today: when each engagement opened and closed (None: closes in the future).
OPEN_FOR = {CLOSED_SLUG: (350, 120)}
OPEN_ENGAGEMENTS = {"talking-help-at-school": 300, "local-offer-and-sen-support": 330}
CLOSES_IN_DAYS = 42
RESPONSES = {
    "short-breaks-families": 320,
    "short-breaks-young-people": 240,
    "talking-help-at-school": 260,
    "local-offer-and-sen-support": 340,
}
CONFIRMED_CODES = 14


@dataclass(frozen=True)
class PlannedAction:
    engagement: str
    service: str
    themes: tuple[str, ...]
    title: str
    description: str
    owner: str
    # Days from today (negative: in the past, so an open action is overdue).
    due_in: int
    status: ActionStatus
    progress: tuple[str, ...] = ()
    reason: str = ""


ACTIONS = (
    PlannedAction(
        CLOSED_SLUG,
        "short-breaks",
        ("short-breaks-respite", "inclusion-and-activities"),
        "Run a holiday play scheme for young people aged 11 to 18",
        "Families said clubs stop at 11. A new scheme in the summer and October holidays.",
        "Short breaks commissioning manager",
        -30,
        ActionStatus.DONE,
        ("Provider chosen and staff trained.", "First summer scheme ran with 46 young people."),
    ),
    PlannedAction(
        CLOSED_SLUG,
        "short-breaks",
        ("local-offer-information",),
        "Explain who can get short breaks in plain English",
        "A one-page guide and an easy read version on the Local Offer.",
        "Local Offer editor",
        -60,
        ActionStatus.DONE,
        ("Guide written with the parent carer forum.",),
    ),
    PlannedAction(
        CLOSED_SLUG,
        "short-breaks",
        ("short-breaks-respite",),
        "Offer overnight short breaks closer to home",
        "Families asked for overnight breaks without a long drive.",
        "Short breaks commissioning manager",
        -10,
        ActionStatus.NOT_POSSIBLE,
        ("No provider bid within the budget.",),
        "No provider could run a second overnight unit within the budget. We will ask again "
        "when the contract is retendered.",
    ),
    PlannedAction(
        CLOSED_SLUG,
        "short-breaks",
        ("short-breaks-respite",),
        "Review direct payment rates for personal assistants",
        "Rates have not kept up with what carers cost.",
        "Head of SEND finance",
        -21,
        ActionStatus.IN_PROGRESS,
        ("Rates compared with neighbouring councils.",),
    ),
    PlannedAction(
        "local-offer-and-sen-support",
        "local-offer",
        ("local-offer-information",),
        "Rebuild the Local Offer search so it works on a phone",
        "Parents said the search is hard to use and links are out of date.",
        "Local Offer editor",
        75,
        ActionStatus.IN_PROGRESS,
        ("Broken links fixed; new search being tested with parents.",),
    ),
    PlannedAction(
        "local-offer-and-sen-support",
        "send-iass",
        ("communication", "coordination-between-services"),
        "Give every family with an EHC plan one named contact",
        "So families stop repeating their story to each new professional.",
        "SEND casework team leader",
        -12,
        ActionStatus.PLANNED,
    ),
    PlannedAction(
        "local-offer-and-sen-support",
        "local-offer",
        ("school-support",),
        "Publish a plain English guide to SEN support in school",
        "What every school offers, and what to ask for.",
        "SEND inclusion adviser",
        50,
        ActionStatus.PLANNED,
    ),
    PlannedAction(
        "talking-help-at-school",
        "speech-and-language-therapy",
        ("access-to-therapy", "waiting-times"),
        "Add therapy sessions in the school holidays",
        "Young people asked for help that does not stop in the holidays.",
        "Therapy service lead",
        90,
        ActionStatus.PLANNED,
    ),
    PlannedAction(
        "talking-help-at-school",
        "speech-and-language-therapy",
        ("being-listened-to",),
        "Tell young people when their therapist changes",
        "A letter in easy read before a new therapist starts.",
        "Therapy service lead",
        30,
        ActionStatus.IN_PROGRESS,
        ("Easy read letter drafted with young people.",),
    ),
)

FAMILIES_UPDATE = {
    "title": "Short breaks: what families told us and what we changed",
    "easy_read_title": "Short breaks: what you told us and what we did",
    "you_said": (
        "<p>{families} parents and carers and {young} young people answered our short breaks "
        "surveys.</p><p>Most said short breaks make a real difference. Many said:</p><ul>"
        "<li>there is nothing for teenagers once clubs stop at 11</li>"
        "<li>the rules about who can get short breaks are hard to understand</li>"
        "<li>overnight breaks are too far away</li>"
        "<li>direct payment rates do not cover what a carer costs</li></ul>{quotes}"
    ),
    "we_did": (
        "<p>We ran a new holiday play scheme for young people aged 11 to 18, and wrote a "
        "one-page guide to who can get short breaks, with the parent carer forum.</p>"
        "<p>We could not find a provider for a second overnight unit within the budget. We "
        "will ask again when the contract is retendered.</p>"
        "<p>We are reviewing direct payment rates and will report back.</p>"
    ),
    "easy_read_you_said": (
        "<p>Families told us short breaks help.</p>"
        "<p>They want clubs for older children.</p>"
        "<p>They want to know who can go.</p>"
    ),
    "easy_read_we_did": (
        "<p>We started a new holiday club for ages 11 to 18.</p>"
        "<p>We wrote an easy guide about who can go.</p>"
    ),
}
YOUNG_PEOPLE_UPDATE = {
    "title": "Clubs and fun things to do: you said, we did",
    "easy_read_title": "Clubs: what you told us and what we did",
    "you_said": (
        "<p>Young people told us clubs are fun, and that the staff are kind. They told us "
        "there is not enough for teenagers, that some clubs are too noisy, and that they "
        "want clubs nearer home.</p>"
    ),
    "we_did": (
        "<p>We started a holiday club for young people aged 11 to 18, with a quiet room. "
        "Staff at the club are learning sign language.</p>"
    ),
    "easy_read_you_said": (
        "<p>You said clubs are fun.</p>"
        "<p>You said the staff are kind.</p>"
        "<p>You said there is not much for older children.</p>"
        "<p>You said some clubs are too noisy.</p>"
    ),
    "easy_read_we_did": (
        "<p>We started a new holiday club for ages 11 to 18.</p>"
        "<p>It has a quiet room.</p>"
        "<p>The staff are learning sign language.</p>"
    ),
}
# Days back from today that each update was published (after the engagement closed).
PUBLISHED_DAYS_AGO = (75, 70)


def _days_ago(days: int) -> date:
    return utcnow().date() - timedelta(days=days)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def already_has_history() -> bool:
    """A closed demo engagement, or any response at all: history is there, or real data is."""
    return bool(
        db.session.scalar(select(Engagement.id).where(Engagement.slug == CLOSED_SLUG))
        or db.session.scalar(select(func.count()).select_from(Response))
    )


def _closed_engagement() -> Engagement:
    opened, closed = (_days_ago(days) for days in OPEN_FOR[CLOSED_SLUG])
    orgs = {o.name: o for o in db.session.scalars(select(Organisation))}
    engagement = Engagement(
        **CLOSED_ENGAGEMENT,
        status=EngagementStatus.CLOSED,
        opens_on=opened,
        closes_on=closed,
        organisation=orgs[COUNCIL],
        services=list(db.session.scalars(select(Service).where(Service.slug == "short-breaks"))),
    )
    db.session.add(engagement)
    db.session.flush()
    return engagement


def _import_history_surveys(directory: Path) -> None:
    for path in sorted(directory.glob("*.yaml")):
        import_file(path)
    db.session.flush()


def _set_dates() -> None:
    """The open engagements opened months ago, so their responses are spread over months."""
    for slug, days in OPEN_ENGAGEMENTS.items():
        engagement = db.session.scalar(select(Engagement).where(Engagement.slug == slug))
        if engagement is not None:
            engagement.opens_on = _days_ago(days)
            engagement.closes_on = _days_ago(-CLOSES_IN_DAYS)
            engagement.status = EngagementStatus.OPEN


def _responses() -> int:
    added = 0
    for number, (slug, count) in enumerate(RESPONSES.items()):
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        if survey is None:
            continue
        engagement = survey.engagement
        last = min(engagement.closes_on, utcnow().date()) if engagement.closes_on else None
        end = _at(last or utcnow().date(), 18) if last != utcnow().date() else utcnow()
        span = (end.date() - engagement.opens_on).days if engagement.opens_on else 300
        added += generate(
            count, slugs=[slug], seed=SEED + number, days=max(span, 1), now=end, writer=writer
        ).responses
    return added


def _admin() -> User:
    return db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))


def _confirm_codes(admin: User) -> int:
    """Staff review a few answers: most codes confirmed as suggested, one sentiment corrected."""
    answer_ids = list(
        db.session.scalars(
            select(Coding.answer_id).distinct().order_by(Coding.answer_id).limit(CONFIRMED_CODES)
        )
    )
    confirmed = 0
    for index, answer_id in enumerate(answer_ids):
        try:
            item = review.load(answer_id)
        except review.ReviewError:
            continue  # a flagged answer goes to the safeguarding queue, not review
        sentiment = item.suggested_sentiment or SentimentLabel.NEUTRAL
        if index == 0 and sentiment != SentimentLabel.NEGATIVE:
            sentiment = SentimentLabel.NEGATIVE
        review.save(answer_id, item.coded_theme_ids, sentiment, admin)
        confirmed += 1
    return confirmed


def _themes(slugs: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(db.session.scalars(select(Theme.id).where(Theme.slug.in_(slugs))))


def _actions(admin: User) -> list[Action]:
    engagements = {e.slug: e for e in db.session.scalars(select(Engagement))}
    services = {s.slug: s for s in db.session.scalars(select(Service))}
    made = []
    for number, plan in enumerate(ACTIONS):
        engagement = engagements[plan.engagement]
        service = services[plan.service]
        # Saved as staff would have when deciding it, due in the future; time then passed.
        action = save_action(
            None,
            ActionFields(
                title=plan.title,
                description=plan.description,
                owner_organisation_id=service.commissioner_id,
                owner_name=plan.owner,
                due_on=utcnow().date() + timedelta(days=abs(plan.due_in) + 1),
                status=ActionStatus.PLANNED,
                engagement_id=engagement.id,
                service_id=service.id,
                theme_ids=_themes(plan.themes),
            ),
        )
        action.due_on = _days_ago(-plan.due_in)
        decided = (engagement.closes_on or utcnow().date()) - timedelta(days=20 - number)
        decided = min(decided, utcnow().date() - timedelta(days=5))
        action.created_at = _at(decided)
        steps = plan.progress
        for step, text in enumerate(steps):
            last = step == len(steps) - 1
            status = plan.status if last else ActionStatus.IN_PROGRESS
            progress = add_progress(
                action, text, status, reason=plan.reason if last else "", user_id=admin.id
            )
            progress.at = _at(decided + timedelta(days=14 * (step + 1)))
        made.append(action)
    db.session.flush()
    return made


def _approved_quotes(engagement: Engagement, admin: User, wanted: int = 2) -> list[str]:
    """Staff approve a couple of short answers as quotes (their words, which name no one)."""
    survey_ids = [survey.id for survey in engagement.surveys]
    candidates = db.session.scalars(
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Response.survey_id.in_(survey_ids),
            Question.kind == QuestionKind.FREE_TEXT,
            Answer.text.is_not(None),
            func.length(Answer.text).between(60, 160),
        )
        .order_by(Answer.id)
        .limit(40)
    )
    quotes: list[str] = []
    for answer in candidates:
        if len(quotes) == wanted:
            break
        if answer.text.endswith(".") and quotable_answer(answer.id) is not None:
            approve_quote(answer, answer.text, admin.id)
            quotes.append(answer.text)
    return quotes


def _publish(engagement: Engagement, words: dict, days_ago: int, actions: list[Action]) -> Update:
    update = updates.draft(engagement)
    updates.save(
        update,
        updates.UpdateFields(
            title=words["title"],
            you_said=words["you_said"],
            we_did=words["we_did"],
            easy_read_you_said=words["easy_read_you_said"],
            easy_read_we_did=words["easy_read_we_did"],
            action_ids=tuple(action.id for action in actions),
            easy_read_title=words["easy_read_title"],
        ),
    )
    # Nobody in the made-up responses asked to hear back, so no e-mail is queued.
    updates.publish(update, f"/you-said-we-did/{update.slug}")
    update.created_at = _at(_days_ago(days_ago + 7))
    update.published_at = _at(_days_ago(days_ago), 12)
    return update


def _updates(engagement: Engagement, actions: list[Action], quotes: list[str]) -> list[Update]:
    closed_actions = [a for a in actions if a.engagement_id == engagement.id]
    quoted = "".join(f"<p><em>“{escape(quote)}”</em></p>" for quote in quotes)
    families = {
        **FAMILIES_UPDATE,
        "you_said": FAMILIES_UPDATE["you_said"].format(
            families=RESPONSES["short-breaks-families"],
            young=RESPONSES["short-breaks-young-people"],
            quotes=quoted,
        ),
    }
    young_actions = [a for a in closed_actions if a.status == ActionStatus.DONE][:1]
    return [
        _publish(engagement, families, PUBLISHED_DAYS_AGO[0], closed_actions),
        _publish(engagement, YOUNG_PEOPLE_UPDATE, PUBLISHED_DAYS_AGO[1], young_actions),
    ]


def load(survey_directory: Path, report: DemoReport) -> None:
    """Add the year of history, once: nothing happens where responses already exist."""
    if already_has_history():
        return
    admin = _admin()
    engagement = _closed_engagement()
    _import_history_surveys(survey_directory / "history")
    for survey in engagement.surveys:
        survey.status = SurveyStatus.CLOSED
    _set_dates()
    db.session.commit()
    added = _responses()
    analysed = analyse_pending()
    confirmed = _confirm_codes(admin) if admin else 0
    actions = _actions(admin)
    quotes = _approved_quotes(engagement, admin)
    published = _updates(engagement, actions, quotes)
    db.session.commit()
    overdue = sum(
        1
        for action in actions
        if action.due_on < utcnow().date()
        and action.status not in (ActionStatus.DONE, ActionStatus.NOT_POSSIBLE)
    )
    report.lines += [
        f"Added a year of history: {added} responses, {analysed} written answers analysed, "
        f"{confirmed} reviewed by staff",
        f"Added {len(actions)} actions ({overdue} overdue) and published {len(published)} "
        "'You said, we did' updates",
    ]
