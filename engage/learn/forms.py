"""Forms for the learn pages: results filters, quotes search, codebook, review, safeguarding."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from engage.learn.flags import DECISIONS, NOTE_LIMIT, REASON_LIMIT
from engage.learn.models import FLAG_STATUS_LABELS, SentimentLabel
from engage.learn.results import SENTIMENT_LABELS, Filters
from engage.listen.models import CHANNEL_LABELS, GROUP_LABELS, Channel, RespondentGroup

ALL = SelectChoice("", _l("All"))


def _iso_date(form, field) -> None:
    if field.data:
        try:
            date.fromisoformat(field.data.strip())
        except ValueError:
            raise ValidationError(_l("Enter a date like 2026-03-31")) from None


def _id_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class FilterForm(FlaskForm):
    """Read from the address (GET), so a filtered page can be bookmarked and shared."""

    class Meta:
        csrf = False

    group = SelectField(
        _l("Who answered"),
        widget=GovSelect(),
        choices=[ALL] + [SelectChoice(g.value, _l(label)) for g, label in GROUP_LABELS.items()],
        validators=[Optional()],
    )
    service = SelectField(
        _l("Service"), widget=GovSelect(), validate_choice=False, validators=[Optional()]
    )
    channel = SelectField(
        _l("Channel"),
        widget=GovSelect(),
        choices=[ALL] + [SelectChoice(c.value, _l(label)) for c, label in CHANNEL_LABELS.items()],
        validators=[Optional()],
    )
    date_from = StringField(
        _l("Submitted from"),
        widget=GovTextInput(),
        description=_l("For example, 2026-01-31"),
        validators=[Optional(), _iso_date],
    )
    date_to = StringField(
        _l("Submitted up to and including"),
        widget=GovTextInput(),
        description=_l("For example, 2026-03-31"),
        validators=[Optional(), _iso_date],
    )
    language = SelectField(
        _l("Language the response was given in"), widget=GovSelect(), validators=[Optional()]
    )
    submit = SubmitField(_l("Apply filters"), widget=GovSubmitInput())

    def offer(self, services, languages: list[tuple[str, str]]) -> None:
        """The services, and the area's languages as (code, name in English)."""
        self.service.choices = [ALL] + [SelectChoice(str(s.id), s.name) for s in services]
        self.language.choices = [ALL] + [SelectChoice(code, name) for code, name in languages]

    def filters(self) -> Filters:
        """The filters that are valid; an invalid one is ignored (and shown as an error)."""

        def day(field) -> date | None:
            if not field.data or field.errors:
                return None
            return date.fromisoformat(field.data.strip())

        return Filters(
            group=RespondentGroup(self.group.data)
            if self.group.data and not self.group.errors
            else None,
            service_id=_id_or_none(self.service.data),
            date_from=day(self.date_from),
            date_to=day(self.date_to),
            channel=Channel(self.channel.data)
            if self.channel.data and not self.channel.errors
            else None,
            language=(self.language.data or None) if not self.language.errors else None,
        )


class QuoteSearchForm(FlaskForm):
    class Meta:
        csrf = False

    search = StringField(
        _l("Search the words"), widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    theme = SelectField(
        _l("Theme"), widget=GovSelect(), validate_choice=False, validators=[Optional()]
    )
    sentiment = SelectField(
        _l("Sentiment"),
        widget=GovSelect(),
        choices=[ALL] + [SelectChoice(s.value, _l(label)) for s, label in SENTIMENT_LABELS.items()],
        validators=[Optional()],
    )
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())

    def offer(self, themes) -> None:
        self.theme.choices = [ALL] + [SelectChoice(str(t.id), t.name) for t in themes]


class ThemeForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        description=_l("Short, for staff: for example, Waiting times"),
        validators=[DataRequired(message=_l("Enter a name for the theme")), Length(max=120)],
    )
    plain_name = StringField(
        _l("Plain-language name"),
        widget=GovTextInput(),
        description=_l("How it reads on public pages: for example, Waiting too long for help"),
        validators=[Length(max=120)],
    )
    description = TextAreaField(
        _l("Description"),
        widget=GovTextArea(),
        description=_l("What belongs in this theme, so that staff code answers the same way"),
        validators=[Length(max=2000)],
    )
    keywords = TextAreaField(
        _l("Keywords and phrases"),
        widget=GovTextArea(),
        description=_l("One per line. An answer with any of them is coded to this theme."),
        validators=[Length(max=5000)],
    )
    submit = SubmitField(_l("Save theme"), widget=GovSubmitInput())


class ActiveForm(FlaskForm):
    submit = SubmitField(_l("Switch off"), widget=GovSubmitInput())


SENTIMENT_CHOICES = [
    SelectChoice(SentimentLabel.POSITIVE.value, _l("Positive")),
    SelectChoice(SentimentLabel.NEUTRAL.value, _l("Neutral")),
    SelectChoice(SentimentLabel.NEGATIVE.value, _l("Negative")),
]


class ReviewForm(FlaskForm):
    themes = SelectMultipleField(
        _l("Themes"),
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
    )
    sentiment = RadioField(
        _l("Sentiment"),
        widget=GovRadioInput(),
        choices=SENTIMENT_CHOICES,
        validators=[InputRequired(message=_l("Choose the sentiment"))],
    )
    submit = SubmitField(_l("Save and next"), widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    status = RadioField(
        _l("Decision"),
        widget=GovRadioInput(),
        choices=[SelectChoice(s.value, _l(FLAG_STATUS_LABELS[s])) for s in DECISIONS],
        validators=[InputRequired(message=_l("Choose reviewed, referred or no action"))],
    )
    note = TextAreaField(
        _l("Note"),
        widget=GovTextArea(),
        description=_l(
            "What you decided and why; needed for referred and no action. Other safeguarding "
            "staff will read this."
        ),
        validators=[Length(max=NOTE_LIMIT)],
    )
    submit = SubmitField(_l("Add to the record"), widget=GovSubmitInput())


class BreakGlassForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you need to know who this is?"),
        widget=GovTextArea(),
        description=_l("Recorded in the audit log with your name and the time."),
        validators=[
            DataRequired(message=_l("Say why you need to see the contact details")),
            Length(max=REASON_LIMIT, message=_l("Keep the reason to %(max)d characters or fewer")),
        ],
    )
    submit = SubmitField(_l("See contact details"), widget=GovSubmitInput())


class ConcernForm(FlaskForm):
    note = TextAreaField(
        _l("Why are you concerned?"),
        widget=GovTextArea(),
        description=_l("In a sentence. The safeguarding lead will see this with the response."),
        validators=[
            DataRequired(message=_l("Say briefly why you are concerned")),
            Length(max=REASON_LIMIT),
        ],
    )
    submit = SubmitField(_l("Raise concern"), widget=GovSubmitInput())
