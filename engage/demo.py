"""Demo data for a local area: organisations, services, engagements, surveys, an admin."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from engage import figures
from engage.accounts.auth import create_user
from engage.accounts.models import Role, User
from engage.ask.definitions import import_file, load_yaml
from engage.ask.models import Survey
from engage.extensions import db
from engage.inform.models import (
    CommissioningStage,
    Engagement,
    EngagementStatus,
    Organisation,
    OrganisationKind,
    Service,
)

COUNCIL = "Northmoor Council"
NHS = "NHS Northmoor Integrated Care Board"
JOINT = "Northmoor SEND Partnership (joint)"

ORGANISATIONS = [
    (COUNCIL, OrganisationKind.COUNCIL),
    (NHS, OrganisationKind.NHS),
    (JOINT, OrganisationKind.JOINT),
    ("Northmoor Parent Carer Forum", OrganisationKind.PARENT_FORUM),
]

# The services in a typical joint commissioning arrangement, with who commissions them.
SERVICES = [
    ("speech-and-language-therapy", "Speech and language therapy", NHS, "NHS-SLT-01"),
    ("occupational-therapy", "Occupational therapy", NHS, "NHS-OT-02"),
    ("physiotherapy", "Physiotherapy", NHS, "NHS-PT-03"),
    ("camhs", "CAMHS and mental health", NHS, "NHS-CAMHS-04"),
    ("audiology", "Audiology", NHS, "NHS-AUD-05"),
    ("short-breaks", "Short breaks", COUNCIL, "LA-SB-06"),
    ("community-paediatrics", "Community paediatrics", NHS, "NHS-CP-07"),
    ("childrens-community-nursing", "Children's community nursing", NHS, "NHS-CCN-08"),
    ("asd-pathway", "Autism (ASD) assessment pathway", JOINT, "JT-ASD-09"),
    ("local-offer", "Local Offer", COUNCIL, "LA-LO-10"),
    ("send-iass", "SEND Information, Advice and Support Service (SEND IASS)", JOINT, "JT-IASS-11"),
]

ENGAGEMENTS = [
    {
        "slug": "talking-help-at-school",
        "title": "Speech and language therapy in schools",
        "easy_read_title": "Help with talking at school",
        "summary": "We want to hear from children and young people who get speech and language therapy at school.",
        "easy_read_summary": "Do you get help with talking or understanding at school? Tell us what it is like.",
        "why": "The NHS contract for speech and language therapy in schools is being reviewed. What young people tell us will shape the new service.",
        "easy_read_why": "We are checking the help you get. We want to make it better.",
        "next_steps": "We will publish what you told us and what we will change on the 'You said, we did' page.",
        "easy_read_next_steps": "We will tell you what we changed.",
        "stage": CommissioningStage.REVIEW,
        "services": ["speech-and-language-therapy"],
        "organisation": NHS,
    },
    {
        "slug": "local-offer-and-sen-support",
        "title": "The Local Offer and SEN support",
        "easy_read_title": "Finding help and support",
        "summary": "Tell us how easy it is to find information about SEND services and support, and how SEN support in school works for your family.",
        "easy_read_summary": "Tell us if it is easy to find out about help for your family.",
        "why": "We are planning the next Local Offer website and the SEN support guidance for schools.",
        "easy_read_why": "We are making a new website about help for families.",
        "next_steps": "The SEND Partnership Board will see the results. We will publish what we changed.",
        "easy_read_next_steps": "We will tell you what we changed.",
        "stage": CommissioningStage.PLAN,
        "services": ["local-offer", "send-iass"],
        "organisation": COUNCIL,
    },
]


@dataclass
class DemoReport:
    lines: list[str] = field(default_factory=list)


def _get_or_create_organisations(report: DemoReport) -> dict[str, Organisation]:
    found = {o.name: o for o in db.session.scalars(select(Organisation))}
    for name, kind in ORGANISATIONS:
        if name not in found:
            found[name] = Organisation(name=name, kind=kind)
            db.session.add(found[name])
            report.lines.append(f"Added organisation: {name}")
    return found


def _get_or_create_services(
    orgs: dict[str, Organisation], report: DemoReport
) -> dict[str, Service]:
    found = {s.slug: s for s in db.session.scalars(select(Service))}
    for slug, name, commissioner, contract in SERVICES:
        if slug not in found:
            found[slug] = Service(
                slug=slug, name=name, commissioner=orgs[commissioner], contract_reference=contract
            )
            db.session.add(found[slug])
            report.lines.append(f"Added service: {name}")
    return found


def _get_or_create_engagements(orgs, services, report: DemoReport) -> None:
    existing = {e.slug for e in db.session.scalars(select(Engagement))}
    today = date.today()
    for spec in ENGAGEMENTS:
        if spec["slug"] in existing:
            continue
        values = {k: v for k, v in spec.items() if k not in {"services", "organisation"}}
        engagement = Engagement(
            **values,
            status=EngagementStatus.OPEN,
            opens_on=today - timedelta(days=14),
            closes_on=today + timedelta(days=42),
            organisation=orgs[spec["organisation"]],
            services=[services[slug] for slug in spec["services"]],
        )
        db.session.add(engagement)
        report.lines.append(f"Added engagement: {engagement.title}")
    db.session.flush()


ENGAGEMENT_TRANSLATIONS = Path(__file__).resolve().parent / "demo_engagement_translations.yaml"


def _translate_engagements(report: DemoReport) -> None:
    """The demo engagement pages in other languages (machine-drafted), marked complete; once
    only, so staff changes to them are kept."""
    import yaml

    from engage import content_translations as content
    from engage.inform import translations

    data = yaml.safe_load(ENGAGEMENT_TRANSLATIONS.read_text(encoding="utf-8"))
    for slug, languages in data.items():
        engagement = db.session.scalar(select(Engagement).where(Engagement.slug == slug))
        if engagement is None or content.all_translations(translations.KIND, engagement.id):
            continue
        sources = translations.engagement_texts(engagement)
        for language, texts in languages.items():
            content.store_translations(translations.KIND, engagement.id, sources, language, texts)
            content.mark_languages(translations.KIND, engagement.id, [language])
        report.lines.append(f"Added translations of engagement: {engagement.title}")


def _import_surveys(directory: Path, report: DemoReport) -> None:
    existing = {s.slug for s in db.session.scalars(select(Survey))}
    for path in sorted(directory.glob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8"), str(path))
        if isinstance(data, dict) and data.get("slug") in existing:
            continue
        survey = import_file(path)
        report.lines.append(f"Imported survey: {survey.slug}")


def _seed_codebook(report: DemoReport) -> None:
    from engage.learn.themes import seed_codebook

    added = seed_codebook()
    if added:
        report.lines.append(f"Added {added} themes to the codebook")


def _admin(report: DemoReport) -> None:
    if db.session.scalar(select(User).where(User.role == Role.ADMIN)):
        return
    password = secrets.token_urlsafe(15)
    create_user("admin@engage.example", "Demo admin", password, Role.ADMIN)
    # Printed once; only its hash is stored.
    report.lines.append(f"Staff admin: admin@engage.example / password: {password}")


def load(survey_directory: Path) -> DemoReport:
    figures.renew()
    report = DemoReport()
    orgs = _get_or_create_organisations(report)
    services = _get_or_create_services(orgs, report)
    db.session.flush()
    _get_or_create_engagements(orgs, services, report)
    _translate_engagements(report)
    _import_surveys(survey_directory, report)
    _seed_codebook(report)
    _admin(report)
    if not report.lines:
        report.lines.append("Demo data is already loaded; nothing changed.")
    return report
