"""Forms for the staff survey editor: settings, questions, answers (options) and YAML import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from engage.ask.editing import OptionFields, QuestionFields, SurveyFields
from engage.ask.kinds import KIND_LABELS
from engage.ask.models import AUDIENCE_LABELS, MODE_LABELS, Audience, Question, SurveyMode
from engage.ask.schedule import DEFAULT_GRACE_HOURS, MAX_GRACE_HOURS
from engage.widgets import DateInput

MAX_DEFINITION = 200_000


def _whole_number(field, low: int, high: int) -> None:
    # WTForms' "Not a valid integer value" is not plain English.
    if field.errors and field.raw_data and field.raw_data[0]:
        field.errors[:] = [
            str(_l("Enter a whole number from %(low)s to %(high)s", low=low, high=high))
        ]


class SurveyForm(FlaskForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter a title")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    easy_read_title = StringField(
        _l("Easy-read title"),
        widget=GovTextInput(),
        description=_l("Short words. For example: Tell us about help at school"),
        validators=[Length(max=200, message=_l("Easy-read title must be 200 characters or fewer"))],
    )
    description = TextAreaField(
        _l("Description"),
        widget=GovCharacterCount(),
        description=_l("Shown on the start page: why we ask and what happens next"),
        validators=[Length(max=5000, message=_l("Description must be 5000 characters or fewer"))],
    )
    easy_read_description = TextAreaField(
        _l("Easy-read description"),
        widget=GovCharacterCount(),
        validators=[
            Length(max=5000, message=_l("Easy-read description must be 5000 characters or fewer"))
        ],
    )
    audience = RadioField(
        _l("Who is it for?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice(audience.value, label) for audience, label in AUDIENCE_LABELS.items()
        ],
        validators=[InputRequired(message=_l("Select who the survey is for"))],
    )
    mode = RadioField(
        _l("How should it be asked?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(mode.value, label) for mode, label in MODE_LABELS.items()],
        validators=[InputRequired(message=_l("Select easy read or standard"))],
    )
    engagement = SelectField(_l("Engagement"), widget=GovSelect(), validate_choice=False)
    minutes_to_complete = IntegerField(
        _l("Minutes it takes"),
        widget=GovTextInput(),
        default=5,
        validators=[
            InputRequired(message=_l("Enter how many minutes it takes")),
            NumberRange(1, 120, message=_l("Enter a whole number from 1 to 120")),
        ],
    )
    retention_days = IntegerField(
        _l("Keep answers for (days)"),
        widget=GovTextInput(),
        default=730,
        description=_l("After this, contact details and free text are removed"),
        validators=[
            InputRequired(message=_l("Enter how many days answers are kept")),
            NumberRange(30, 3650, message=_l("Enter a whole number from 30 to 3650")),
        ],
    )
    one_question_per_page = BooleanField(
        _l("Show one question per page (easy-read surveys always do)"),
        widget=GovCheckboxInput(),
        default=True,
    )
    opens_on = DateField(
        _l("Opens on (optional)"),
        widget=DateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2027. Leave blank to open with its engagement."),
        validators=[Optional()],
    )
    closes_on = DateField(
        _l("Last day for answers (optional)"),
        widget=DateInput(),
        format="%d %m %Y",
        description=_l(
            "It closes at midnight at the end of this day. Leave blank to close with its "
            "engagement."
        ),
        validators=[Optional()],
    )
    grace_hours = IntegerField(
        _l("Hours after the close that unfinished answers can still be sent"),
        widget=GovTextInput(),
        default=DEFAULT_GRACE_HOURS,
        description=_l("Only for people who started before it closed. 0 for none."),
        validators=[
            Optional(),
            NumberRange(0, MAX_GRACE_HOURS, message=_l("Enter a whole number from 0 to 168")),
        ],
    )
    # One-time token of a create form (engage.form_tokens): a second submit makes no copy.
    creation_token = HiddenField()
    submit = SubmitField(_l("Save survey"), widget=GovSubmitInput())

    def offer(self, engagements: list) -> None:
        self.engagement.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(e.id), e.title) for e in engagements
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        _whole_number(self.minutes_to_complete, 1, 120)
        _whole_number(self.retention_days, 30, 3650)
        _whole_number(self.grace_hours, 0, MAX_GRACE_HOURS)
        for field, label in (
            (self.opens_on, _l("Opening date")),
            (self.closes_on, _l("Closing date")),
        ):
            # GOV.UK date input: one message in plain English, whatever part is wrong.
            if field.errors:
                field.errors[:] = [str(_l("%(label)s must be a real date", label=label))]
        if self.engagement.data and self.engagement.data not in {
            choice.value for choice in self.engagement.choices
        }:
            self.engagement.errors = [str(_l("Select an engagement from the list"))]
            valid = False
        return valid

    def to_fields(self) -> SurveyFields:
        return SurveyFields(
            title=self.title.data or "",
            easy_read_title=self.easy_read_title.data or "",
            description=self.description.data or "",
            easy_read_description=self.easy_read_description.data or "",
            audience=Audience(self.audience.data),
            mode=SurveyMode(self.mode.data),
            engagement_id=int(self.engagement.data) if self.engagement.data else None,
            minutes_to_complete=self.minutes_to_complete.data,
            retention_days=self.retention_days.data,
            one_question_per_page=bool(self.one_question_per_page.data),
            opens_on=self.opens_on.data,
            closes_on=self.closes_on.data,
            grace_hours=(
                DEFAULT_GRACE_HOURS if self.grace_hours.data is None else self.grace_hours.data
            ),
        )


class KindForm(FlaskForm):
    """Step one of adding a question (a GET form: nothing to protect, nothing lost)."""

    class Meta:
        csrf = False

    kind = RadioField(
        _l("What kind of question?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(kind.value, _l(label)) for kind, label in KIND_LABELS.items()],
        validators=[InputRequired(message=_l("Select the kind of question"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class SymbolMixin:
    """A chosen symbol and the keyword search that offers them (works without JavaScript:
    the search button posts the whole form back, so nothing typed is lost)."""

    symbol = StringField(_l("Symbol"), validators=[Optional(), Length(max=80)])
    symbol_search = StringField(
        _l("Find a symbol by keyword"),
        widget=GovTextInput(),
        description=_l("For example: happy, school, bus, talk"),
        validators=[Length(max=60, message=_l("Keyword must be 60 characters or fewer"))],
    )


class QuestionForm(SymbolMixin, FlaskForm):
    text = TextAreaField(
        _l("Question"),
        widget=GovCharacterCount(),
        validators=[
            DataRequired(message=_l("Enter the question")),
            Length(max=500, message=_l("Question must be 500 characters or fewer")),
        ],
    )
    easy_read_text = TextAreaField(
        _l("Easy-read question"),
        widget=GovCharacterCount(),
        description=_l("Short sentences and everyday words"),
        validators=[
            Length(max=500, message=_l("Easy-read question must be 500 characters or fewer"))
        ],
    )
    hint = TextAreaField(
        _l("Hint (optional)"),
        widget=GovCharacterCount(),
        validators=[Length(max=1000, message=_l("Hint must be 1000 characters or fewer"))],
    )
    easy_read_hint = TextAreaField(
        _l("Easy-read hint (optional)"),
        widget=GovCharacterCount(),
        validators=[
            Length(max=1000, message=_l("Easy-read hint must be 1000 characters or fewer"))
        ],
    )
    section = StringField(
        _l("Section (optional)"),
        widget=GovTextInput(),
        description=_l("Questions with the same section are shown together in standard mode"),
        validators=[Length(max=120, message=_l("Section must be 120 characters or fewer"))],
    )
    required = BooleanField(_l("An answer is required"), widget=GovCheckboxInput())
    max_length = IntegerField(
        _l("Longest answer allowed (characters)"),
        widget=GovTextInput(),
        default=2000,
        validators=[
            Optional(),
            NumberRange(10, 10000, message=_l("Enter a whole number from 10 to 10000")),
        ],
    )
    show_if = SelectField(
        _l("Show this question"),
        widget=GovSelect(),
        description=_l("Skip logic: only earlier questions with answers to choose from"),
        validate_choice=False,
    )
    options = TextAreaField(
        _l("Answers to choose from, one on each line"),
        widget=GovTextArea(),
        description=_l("At least 2. You can add easy-read wording and symbols afterwards."),
        validators=[Length(max=5000, message=_l("Answers must be 5000 characters or fewer"))],
    )
    submit = SubmitField(_l("Save question"), widget=GovSubmitInput())

    def offer(self, targets: list[Question]) -> None:
        self.show_if.choices = [SelectChoice("", _l("Always"))] + [
            SelectChoice(
                f"{target.key}={option.value}",
                _l(
                    "Only when ‘%(question)s’ is ‘%(answer)s’",
                    question=_clip(target.text),
                    answer=option.text,
                ),
            )
            for target in targets
            for option in target.options
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        _whole_number(self.max_length, 10, 10000)
        if self.show_if.data and self.show_if.data not in {
            choice.value for choice in self.show_if.choices
        }:
            self.show_if.errors = [str(_l("Choose an earlier question and one of its answers"))]
            valid = False
        return valid

    def to_fields(self) -> QuestionFields:
        show_if = None
        if self.show_if.data:
            key, _sep, value = self.show_if.data.partition("=")
            show_if = (key, value)
        return QuestionFields(
            text=self.text.data or "",
            easy_read_text=self.easy_read_text.data or "",
            hint=self.hint.data or "",
            easy_read_hint=self.easy_read_hint.data or "",
            symbol=self.symbol.data or None,
            section=self.section.data or "",
            required=bool(self.required.data),
            max_length=self.max_length.data or 2000,
            show_if=show_if,
            options=tuple((self.options.data or "").splitlines()),
        )


def _clip(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class OptionForm(SymbolMixin, FlaskForm):
    text = StringField(
        _l("Answer"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter the answer")),
            Length(max=200, message=_l("Answer must be 200 characters or fewer")),
        ],
    )
    easy_read_text = StringField(
        _l("Easy-read answer"),
        widget=GovTextInput(),
        validators=[
            Length(max=200, message=_l("Easy-read answer must be 200 characters or fewer"))
        ],
    )
    submit = SubmitField(_l("Save answer"), widget=GovSubmitInput())

    def to_fields(self) -> OptionFields:
        return OptionFields(
            text=self.text.data or "",
            easy_read_text=self.easy_read_text.data or "",
            symbol=self.symbol.data or None,
        )


class ImportForm(FlaskForm):
    definition = TextAreaField(
        _l("Survey definition (YAML)"),
        widget=GovTextArea(),
        description=_l("Paste the text of a survey file, as exported from a survey page"),
        validators=[
            DataRequired(message=_l("Paste a survey definition")),
            Length(max=MAX_DEFINITION, message=_l("The definition is too long")),
        ],
    )
    replace = BooleanField(
        _l("Replace the survey with the same slug (only if nobody has answered it)"),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Import survey"), widget=GovSubmitInput())


class CopySurveyForm(FlaskForm):
    title = StringField(
        _l("Title of the copy"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter a title for the copy")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    engagement = SelectField(
        _l("Engagement the copy belongs to"), widget=GovSelect(), validate_choice=False
    )
    creation_token = HiddenField()
    submit = SubmitField(_l("Copy survey"), widget=GovSubmitInput())

    offer = SurveyForm.offer

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.engagement.data and self.engagement.data not in {
            choice.value for choice in self.engagement.choices
        }:
            self.engagement.errors = [str(_l("Select an engagement from the list"))]
            valid = False
        return valid


class CopyEngagementForm(FlaskForm):
    title = StringField(
        _l("Title of the copy"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter a title for the copy")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    creation_token = HiddenField()
    submit = SubmitField(_l("Copy engagement and its surveys"), widget=GovSubmitInput())
