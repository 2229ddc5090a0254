"""Forms of the workspace: signing in and managing accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from consult.domain import ACTION_THEMES, DISTRICTS, SERVED_LANGUAGES, SIZES, THEME_GROUPS
from consult.i18n import CONTENT_LOCALES, NATIVE_NAMES
from consult.services.accounts import MIN_PASSWORD_LENGTH


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a group of checkboxes (rendered in a fieldset with a legend)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Write your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Write your password."))],
        render_kw={"autocomplete": "current-password"},
    )


def role_choices() -> list[tuple[str, str]]:
    return [
        ("admin", str(_l("Administrator"))),
        ("coordinator", str(_l("Coordinator"))),
        ("reviewer", str(_l("Reviewer (council member)"))),
    ]


class NewUserForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Write an e-mail address.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=role_choices)
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Write a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l(
                    "The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
                ),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class EditUserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=role_choices)
    active = BooleanField(_l("The account can sign in"))
    password = PasswordField(
        _l("New password (leave empty to keep the current one)"),
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l(
                    "The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
                ),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _choices(vocabulary: dict[str, object], empty: bool = True) -> list[tuple[str, str]]:
    items = [(key, str(label)) for key, label in vocabulary.items()]
    return ([("", str(_l("Not given")))] if empty else []) + items


class OrganisationForm(FlaskForm):
    """The fields are named as the register file's columns, so that the register's own
    checks (those of an import) apply and their messages land beside the right field."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Write the organisation's name."))])
    business_id = StringField(_l("Business ID"), validators=[Optional(), Length(max=9)])
    theme_group = SelectField(
        _l("Theme group"), validate_choice=False, choices=lambda: _choices(THEME_GROUPS)
    )
    size = SelectField(_l("Size"), validate_choice=False, choices=lambda: _choices(SIZES))
    languages = MultiCheckboxField(
        _l("Languages it serves in"),
        validate_choice=False,
        choices=lambda: _choices(SERVED_LANGUAGES, empty=False),
    )
    districts = MultiCheckboxField(
        _l("Districts where it works"),
        validate_choice=False,
        choices=lambda: _choices(DISTRICTS, empty=False),
    )
    city_funded = SelectField(
        _l("Funded by the city"),
        validate_choice=False,
        choices=lambda: [
            ("", str(_l("Not given"))),
            ("yes", str(_l("Yes"))),
            ("no", str(_l("No"))),
        ],
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(
        _l("Contact person's e-mail"), validators=[Optional(), Length(max=254)]
    )
    contact_phone = StringField(
        _l("Contact person's phone"), validators=[Optional(), Length(max=40)]
    )
    contact_language = SelectField(
        _l("Contact person's language"),
        validate_choice=False,
        choices=lambda: (
            [("", str(_l("Not given")))] + [(code, NATIVE_NAMES[code]) for code in CONTENT_LOCALES]
        ),
    )

    def as_row(self) -> dict[str, str]:
        return {
            "name": (self.name.data or "").strip(),
            "business_id": (self.business_id.data or "").strip(),
            "theme_group": self.theme_group.data or "",
            "size": self.size.data or "",
            "languages": ";".join(self.languages.data or []),
            "districts": ";".join(self.districts.data or []),
            "city_funded": self.city_funded.data or "",
            "contact_name": (self.contact_name.data or "").strip(),
            "contact_email": (self.contact_email.data or "").strip(),
            "contact_phone": (self.contact_phone.data or "").strip(),
            "contact_language": self.contact_language.data or "",
        }


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or Excel file (.csv, .xlsx)"),
        validators=[FileRequired(_l("Choose a file to import."))],
    )


class NewSurveyForm(FlaskForm):
    start = RadioField(
        _l("Start from"),
        choices=[
            ("blank", _l("A blank survey")),
            ("template", _l("A template")),
            ("copy", _l("An earlier survey, as its next round (question keys kept)")),
            ("file", _l("A survey file or an XLSForm")),
        ],
        default="template",
        validators=[DataRequired(_l("Choose where to start from."))],
    )
    template = SelectField(_l("Template"), choices=[], validate_choice=False)
    source = SelectField(_l("Earlier survey"), choices=[], validate_choice=False)
    file = FileField(_l("Survey file (.yaml, .json) or XLSForm (.xlsx)"))
    key = StringField(
        _l("Key"),
        validators=[Optional(), Length(max=64)],
        description=_l(
            "Letters a–z, digits and hyphens, such as preparedness-2027. Not needed for a file: its key is used."
        ),
    )
    title = StringField(_l("Title in the main language"), validators=[Optional(), Length(max=300)])
    theme = SelectField(
        _l("Action-plan theme"),
        choices=lambda: [(k, str(v)) for k, v in ACTION_THEMES.items()],
        default="preparedness",
        description=_l("For a blank survey, and for an XLSForm that does not name one."),
    )
    locale = SelectField(
        _l("Main language of a blank survey"),
        choices=lambda: [(code, NATIVE_NAMES[code]) for code in CONTENT_LOCALES],
        default="fi",
    )
