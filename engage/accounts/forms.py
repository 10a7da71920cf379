"""Staff sign-in, second-factor and account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter your password")), Length(max=256)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the code")), Length(max=12)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class TotpSetupForm(FlaskForm):
    # Changing the second factor asks for the password again (ASVS 7.5.1).
    password = PasswordField(
        _l("Your password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter your password")), Length(max=256)],
    )
    code = StringField(
        _l("Code from your authenticator app"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the code")), Length(max=12)],
    )
    submit = SubmitField(_l("Turn on two-step sign in"), widget=GovSubmitInput())


def _new_password() -> PasswordField:
    return PasswordField(
        _l("New password"),
        description=_l(
            "At least 12 characters. A few unrelated words make a strong password that is easy "
            "to remember."
        ),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter a new password")), Length(max=256)],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter your current password")), Length(max=256)],
    )
    new_password = _new_password()
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("The address you use to sign in."),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter your email address")), Length(max=254)],
    )
    submit = SubmitField(_l("Send the link"), widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    new_password = _new_password()
    submit = SubmitField(_l("Save the new password"), widget=GovSubmitInput())


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter your password")), Length(max=256)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
