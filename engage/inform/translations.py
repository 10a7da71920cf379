"""An engagement's texts in other languages: which texts it has, and showing it in one.
Storage and the up-to-date rules are shared (engage.content_translations)."""

from __future__ import annotations

from sqlalchemy.orm.attributes import set_committed_value

from engage import content_translations as content
from engage.content_translations import ContentKind, SourceText
from engage.inform.models import Engagement

KIND = ContentKind.ENGAGEMENT
FIELDS = (
    ("title", "Title", "The engagement's name: what we are asking about."),
    ("easy_read_title", "Title (easy read)", "Easy-read wording: short, everyday words."),
    ("summary", "Summary", "Under the title on its public page."),
    ("easy_read_summary", "Summary (easy read)", "Easy-read wording."),
    ("why", "Why we are asking", "Under the heading 'Why we are asking'."),
    ("easy_read_why", "Why we are asking (easy read)", "Easy-read wording."),
    ("next_steps", "What happens next", "Under the heading 'What happens next'."),
    ("easy_read_next_steps", "What happens next (easy read)", "Easy-read wording."),
)


def engagement_texts(engagement: Engagement) -> list[SourceText]:
    """Every English text of the engagement that a translation must cover; empty fields are
    not texts."""
    return [
        SourceText(name, getattr(engagement, name), label, context, group="Engagement")
        for name, label, context in FIELDS
        if getattr(engagement, name)
    ]


def statuses(engagement: Engagement) -> list[content.LanguageStatus]:
    return content.statuses(
        KIND, engagement.id, engagement_texts(engagement), content.other_languages()
    )


def show_in_language(engagement: Engagement, language: str) -> content.Reading:
    """The engagement's translated texts on the loaded object for this page, when it is
    offered in the language (set as if loaded: nothing is written back)."""
    reading = content.reading(KIND, engagement.id, lambda: engagement_texts(engagement), language)
    for name, text in (reading.texts or {}).items():
        set_committed_value(engagement, name, text)
    return reading
