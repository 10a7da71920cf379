"""The staff form for an engagement: each text in a standard and an easy-read version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from engage.inform.editing import EngagementFields
from engage.inform.models import STAGE_LABELS, STATUS_LABELS, CommissioningStage, EngagementStatus
from engage.widgets import DateInput

DATE_FIELDS = ("opens_on", "closes_on")
SHORT = 200
LONG = 3000


def _text(label, limit: int, description=None, required_message=None):
    validators = [
        Length(
            max=limit,
            message=_l("%(field)s must be %(limit)s characters or fewer", field=label, limit=limit),
        )
    ]
    if required_message:
        validators.insert(0, DataRequired(message=required_message))
    widget = GovTextInput() if limit <= SHORT else GovCharacterCount()
    field_class = StringField if limit <= SHORT else TextAreaField
    return field_class(label, widget=widget, description=description, validators=validators)


def _date(label):
    return DateField(
        label,
        widget=DateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2027. Leave blank if not known yet."),
        validators=[Optional()],
    )


class EngagementForm(FlaskForm):
    title = _text(_l("Title"), SHORT, required_message=_l("Enter a title"))
    easy_read_title = _text(_l("Easy-read title"), SHORT, _l("Short, everyday words"))
    summary = _text(_l("Summary"), LONG)
    easy_read_summary = _text(_l("Easy-read summary"), LONG)
    why = _text(_l("Why we are asking"), LONG)
    easy_read_why = _text(_l("Easy-read: why we are asking"), LONG)
    next_steps = _text(_l("What happens next"), LONG)
    easy_read_next_steps = _text(_l("Easy-read: what happens next"), LONG)
    stage = RadioField(
        _l("Which commissioning stage does it feed?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(stage.value, label) for stage, label in STAGE_LABELS.items()],
        validators=[InputRequired(message=_l("Select the commissioning stage"))],
    )
    services = SelectMultipleField(
        _l("Services it is about"),
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
    )
    organisation = SelectField(
        _l("Lead organisation"),
        widget=GovSelect(),
        validate_choice=False,
        description=_l(
            "Staff of the lead organisation, and of the commissioners of its services, can see "
            "the engagement, its surveys and their answers."
        ),
    )
    opens_on = _date(_l("Opens on"))
    closes_on = _date(_l("Closes on"))
    status = RadioField(
        _l("Status"),
        widget=GovRadioInput(),
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()],
        default=EngagementStatus.DRAFT.value,
        validators=[InputRequired(message=_l("Select the status"))],
    )
    # One-time token of a create form (engage.form_tokens): a second submit makes no copy.
    creation_token = HiddenField()
    submit = SubmitField(_l("Save engagement"), widget=GovSubmitInput())

    def offer(self, services: list, organisations: list | None = None) -> None:
        self.services.choices = [SelectChoice(service.id, service.name) for service in services]
        self.organisation.choices = [SelectChoice("", str(_l("The whole partnership")))] + [
            SelectChoice(str(organisation.id), organisation.name)
            for organisation in organisations or ()
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, label in (("opens_on", _l("Opening date")), ("closes_on", _l("Closing date"))):
            field = getattr(self, name)
            # GOV.UK date input: one message in plain English, whatever part is wrong.
            if field.errors:
                field.errors[:] = [str(_l("%(label)s must be a real date", label=label))]
        offered = {choice.value for choice in self.services.choices}
        if any(value not in offered for value in self.services.data or ()):
            self.services.errors = [str(_l("Select services from the list"))]
            valid = False
        if (self.organisation.data or "") not in {
            choice.value for choice in self.organisation.choices
        }:
            self.organisation.errors = [str(_l("Select a lead organisation from the list"))]
            valid = False
        return valid

    def to_fields(self) -> EngagementFields:
        return EngagementFields(
            title=self.title.data or "",
            easy_read_title=self.easy_read_title.data or "",
            summary=self.summary.data or "",
            easy_read_summary=self.easy_read_summary.data or "",
            why=self.why.data or "",
            easy_read_why=self.easy_read_why.data or "",
            next_steps=self.next_steps.data or "",
            easy_read_next_steps=self.easy_read_next_steps.data or "",
            stage=CommissioningStage(self.stage.data),
            status=EngagementStatus(self.status.data),
            opens_on=self.opens_on.data,
            closes_on=self.closes_on.data,
            service_ids=tuple(self.services.data or ()),
            organisation_id=int(self.organisation.data) if self.organisation.data else None,
        )


def error_summary(form: FlaskForm) -> dict:
    """wtforms_errors, with date errors linked to the day box (the first input)."""
    summary = wtforms_errors(form)
    for item in summary["errorList"]:
        if item["href"].lstrip("#") in DATE_FIELDS:
            item["href"] += "-day"
    return summary
