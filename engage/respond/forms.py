"""Forms for drafting, editing and publishing updates, and for the receipt look-up."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from engage.respond.updates import UpdateFields

RICH_HINT = _l(
    "Leave a blank line between paragraphs and start each line of a list with '- '. You can "
    "also use simple HTML: paragraphs, lists, bold, italics and links. Anything else is removed."
)


class StartForm(FlaskForm):
    engagement = SelectField(
        _l("Engagement"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(message=_l("Select the engagement the update is about"))],
    )
    theme = SelectField(
        _l("Theme (optional)"),
        widget=GovSelect(),
        validate_choice=False,
        description=_l("Leave as 'Whole engagement' to write about everything people said."),
    )
    submit = SubmitField(_l("Start draft"), widget=GovSubmitInput())

    def offer(self, engagements, themes) -> None:
        self.engagement.choices = [SelectChoice("", _l("Choose an engagement"))] + [
            SelectChoice(str(e.id), e.title) for e in engagements
        ]
        self.theme.choices = [SelectChoice("", _l("Whole engagement"))] + [
            SelectChoice(str(t.id), t.name) for t in themes
        ]


class UpdateForm(FlaskForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter a title")), Length(max=200)],
    )
    easy_read_title = StringField(
        _l("Easy read title"),
        widget=GovTextInput(),
        description=_l("Short and plain, for the easy-read page. Leave empty to use the title."),
        validators=[Length(max=200)],
    )
    you_said = TextAreaField(
        _l("You said"),
        widget=GovTextArea(),
        description=RICH_HINT,
        validators=[Length(max=20000)],
    )
    we_did = TextAreaField(
        _l("We did / we will"),
        widget=GovTextArea(),
        description=RICH_HINT,
        validators=[Length(max=20000)],
    )
    easy_read_you_said = TextAreaField(
        _l("You said (easy read)"),
        widget=GovTextArea(),
        description=_l("Short sentences and everyday words."),
        validators=[Length(max=20000)],
    )
    easy_read_we_did = TextAreaField(
        _l("We did / we will (easy read)"),
        widget=GovTextArea(),
        description=_l("Short sentences and everyday words."),
        validators=[Length(max=20000)],
    )
    actions = SelectMultipleField(
        _l("Actions this update reports on"),
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
    )
    submit = SubmitField(_l("Save draft"), widget=GovSubmitInput())

    def to_fields(self) -> UpdateFields:
        return UpdateFields(
            title=self.title.data or "",
            you_said=self.you_said.data or "",
            we_did=self.we_did.data or "",
            easy_read_you_said=self.easy_read_you_said.data or "",
            easy_read_we_did=self.easy_read_we_did.data or "",
            action_ids=tuple(self.actions.data or ()),
            easy_read_title=self.easy_read_title.data or "",
        )


class ReceiptForm(FlaskForm):
    code = StringField(
        _l("Receipt code"),
        widget=GovTextInput(),
        description=_l("You were given this code when you sent your answers"),
        validators=[
            DataRequired(message=_l("Enter your receipt code")),
            Length(max=40, message=_l("Receipt code must be 40 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Look up"), widget=GovSubmitInput())
