"""A "You said, we did" update's texts in other languages: which texts it has (standard and
easy-read wording; its rich text cleaned as the editor cleans it), and showing it in one.
Storage and the up-to-date rules are shared (engage.content_translations)."""

from __future__ import annotations

from sqlalchemy.orm.attributes import set_committed_value

from engage import content_translations as content
from engage.content_translations import ContentKind, SourceText
from engage.respond import richtext
from engage.respond.models import Update

KIND = ContentKind.UPDATE
FIELDS = (
    ("title", "Title", "The update's name, on its page and in lists.", False),
    ("easy_read_title", "Title (easy read)", "Easy-read wording: short, everyday words.", False),
    ("you_said", "You said", "What people told us: a summary, with any approved quotes.", True),
    ("we_did", "We did", "What was done because of it.", True),
    ("easy_read_you_said", "You said (easy read)", "Easy-read wording.", True),
    ("easy_read_we_did", "What we did (easy read)", "Easy-read wording.", True),
)


def update_texts(update: Update) -> list[SourceText]:
    """Every English text of the update a translation must cover; empty fields are not texts."""
    return [
        SourceText(
            name,
            getattr(update, name),
            label,
            context,
            clean=richtext.from_form if rich else None,
            group="Update",
        )
        for name, label, context, rich in FIELDS
        if getattr(update, name)
    ]


def statuses(update: Update) -> list[content.LanguageStatus]:
    return content.statuses(KIND, update.id, update_texts(update), content.other_languages())


def show_in_language(update: Update, language: str) -> content.Reading:
    """The update's translated texts on the loaded object for this page, when it is offered
    in the language (set as if loaded: nothing is written back)."""
    reading = content.reading(KIND, update.id, lambda: update_texts(update), language)
    for name, text in (reading.texts or {}).items():
        set_committed_value(update, name, text)
    return reading
