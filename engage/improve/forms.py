"""Forms for actions, their progress updates and the list filters."""

from __future__ import annotations

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
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from engage.improve.actions import ActionFields
from engage.improve.models import STATUS_LABELS, ActionStatus
from engage.widgets import DateInput

STATUS_CHOICES = [SelectChoice(status.value, _l(label)) for status, label in STATUS_LABELS.items()]


def _date_given(form, field) -> None:
    """Like InputRequired, but without the `required` flag: GOV.UK's date input would put
    `required` on its wrapping <div>, which is not valid HTML."""
    if not field.raw_data or not any(part.strip() for part in field.raw_data):
        field.errors[:] = []
        raise StopValidation(str(_l("Enter the date the action is due")))


def _id_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class ActionForm(FlaskForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        description=_l("Start with 'We will', for example: We will publish waiting times"),
        validators=[DataRequired(message=_l("Enter a title for the action")), Length(max=200)],
    )
    description = TextAreaField(
        _l("Description"), widget=GovTextArea(), validators=[Length(max=5000)]
    )
    themes = SelectMultipleField(
        _l("Themes that prompted this action"),
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
    )
    engagement = SelectField(_l("Engagement"), widget=GovSelect(), validate_choice=False)
    service = SelectField(_l("Service"), widget=GovSelect(), validate_choice=False)
    owner_organisation = SelectField(
        _l("Owner organisation"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(message=_l("Select the organisation that owns the action"))],
    )
    owner_name = StringField(
        _l("Owner's name"), widget=GovTextInput(), validators=[Length(max=120)]
    )
    due_on = DateField(
        _l("Due date"),
        widget=DateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2027"),
        validators=[_date_given],
    )
    status = RadioField(
        _l("Status"),
        widget=GovRadioInput(),
        choices=STATUS_CHOICES,
        default="planned",
        validators=[InputRequired(message=_l("Select the status"))],
    )
    not_possible_reason = TextAreaField(
        _l("Why is this not possible?"),
        widget=GovTextArea(),
        description=_l("Needed when the status is 'Not possible'. This is published."),
        validators=[Length(max=2000)],
    )
    submit = SubmitField(_l("Save action"), widget=GovSubmitInput())

    def offer(self, options: dict[str, list]) -> None:
        self.themes.choices = [SelectChoice(theme.id, theme.name) for theme in options["themes"]]
        none = [SelectChoice("", _l("None"))]
        self.engagement.choices = none + [
            SelectChoice(str(e.id), e.title) for e in options["engagements"]
        ]
        self.service.choices = none + [SelectChoice(str(s.id), s.name) for s in options["services"]]
        self.owner_organisation.choices = [SelectChoice("", _l("Choose an organisation"))] + [
            SelectChoice(str(o.id), o.name) for o in options["organisations"]
        ]

    def process_due_date(self) -> None:
        # GOV.UK date input sends day, month, year; WTForms' message is not plain English.
        if self.due_on.errors and self.due_on.raw_data and any(self.due_on.raw_data):
            self.due_on.errors[:] = [str(_l("Due date must be a real date"))]

    def to_fields(self) -> ActionFields:
        return ActionFields(
            title=self.title.data or "",
            description=self.description.data or "",
            owner_organisation_id=_id_or_none(self.owner_organisation.data),
            owner_name=self.owner_name.data or "",
            due_on=self.due_on.data,
            status=ActionStatus(self.status.data),
            not_possible_reason=self.not_possible_reason.data or "",
            engagement_id=_id_or_none(self.engagement.data),
            service_id=_id_or_none(self.service.data),
            theme_ids=tuple(self.themes.data or ()),
        )


class ProgressForm(FlaskForm):
    text = TextAreaField(
        _l("What has happened"),
        widget=GovTextArea(),
        validators=[DataRequired(message=_l("Describe the progress made")), Length(max=5000)],
    )
    status = RadioField(
        _l("Status now"),
        widget=GovRadioInput(),
        choices=STATUS_CHOICES,
        validators=[InputRequired(message=_l("Select the status"))],
    )
    not_possible_reason = TextAreaField(
        _l("Why is this not possible?"), widget=GovTextArea(), validators=[Length(max=2000)]
    )
    submit = SubmitField(_l("Add progress update"), widget=GovSubmitInput())


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    engagement = SelectField(
        _l("Engagement"), widget=GovSelect(), validate_choice=False, validators=[Optional()]
    )
    service = SelectField(
        _l("Service"), widget=GovSelect(), validate_choice=False, validators=[Optional()]
    )
    owner_organisation = SelectField(
        _l("Owner organisation"), widget=GovSelect(), validate_choice=False, validators=[Optional()]
    )
    status = SelectField(
        _l("Status"), widget=GovSelect(), validate_choice=False, validators=[Optional()]
    )
    submit = SubmitField(_l("Filter actions"), widget=GovSubmitInput())

    def offer(self, options: dict[str, list]) -> None:
        every = [SelectChoice("", _l("All"))]
        self.engagement.choices = every + [
            SelectChoice(str(e.id), e.title) for e in options["engagements"]
        ]
        self.service.choices = every + [
            SelectChoice(str(s.id), s.name) for s in options["services"]
        ]
        self.owner_organisation.choices = every + [
            SelectChoice(str(o.id), o.name) for o in options["organisations"]
        ]
        self.status.choices = every + STATUS_CHOICES + [SelectChoice("overdue", _l("Overdue"))]
