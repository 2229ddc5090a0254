"""The survey templates that ship with consult, and the organisation profile they share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from consult.domain import DISTRICTS, SERVED_LANGUAGES, SIZES, THEME_GROUPS
from consult.survey_file import read

FOLDER = Path(__file__).resolve().parent

#: Template name → file, in the order they are offered.
TEMPLATES = {
    "preparedness": FOLDER / "preparedness.yaml",
    "volunteering": FOLDER / "volunteering.yaml",
    "small-organisations": FOLDER / "small-organisations.yaml",
}

#: The locales the profile section is written in (the interface's complete locales).
PROFILE_LOCALES = ("fi", "sv", "en")

PROFILE_SECTION_KEY = "organisation_profile"


def _per_locale(text: Any, locales: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for locale in locales:
        with force_locale(locale):
            out[locale] = str(text)
    return out


def _options(labels: dict[str, Any], locales: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"key": key, "text": _per_locale(label, locales)} for key, label in labels.items()]


def profile_section(locales: tuple[str, ...] = PROFILE_LOCALES) -> dict[str, Any]:
    """The organisation profile section, built from the register's own lists."""
    return {
        "key": PROFILE_SECTION_KEY,
        "title": _per_locale(_l("About your organisation"), locales),
        "description": _per_locale(
            _l(
                "These answers let us compare groups of organisations. Results are only "
                "reported for groups, never for one organisation."
            ),
            locales,
        ),
        "questions": [
            {
                "key": "org_theme_group",
                "type": "single_choice",
                "required": True,
                "text": _per_locale(
                    _l("Which theme group describes your organisation best?"), locales
                ),
                "help": _per_locale(
                    _l("The theme groups of the NGO advisory board. Choose the closest one."),
                    locales,
                ),
                "options": _options(THEME_GROUPS, locales),
            },
            {
                "key": "org_size",
                "type": "single_choice",
                "required": True,
                "text": _per_locale(
                    _l("How many paid staff does your organisation have?"), locales
                ),
                "options": _options(SIZES, locales),
            },
            {
                "key": "org_languages",
                "type": "multiple_choice",
                "required": True,
                "text": _per_locale(
                    _l("In which languages does your organisation serve people?"), locales
                ),
                "options": _options(SERVED_LANGUAGES, locales),
            },
            {
                "key": "org_districts",
                "type": "multiple_choice",
                "text": _per_locale(_l("In which parts of Helsinki do you work?"), locales),
                "options": _options(DISTRICTS, locales),
            },
            {
                "key": "org_city_funding",
                "type": "yes_no",
                "text": _per_locale(
                    _l(
                        "Has your organisation received a grant from the City of Helsinki in the last two years?"
                    ),
                    locales,
                ),
            },
        ],
    }


def template_document(name: str) -> dict[str, Any]:
    """A template as a survey document, the profile section first. KeyError if unknown."""
    document = read(TEMPLATES[name])
    offered = document.get("locales", PROFILE_LOCALES)
    locales = tuple(code for code in offered if code in PROFILE_LOCALES)
    document["sections"] = [profile_section(locales or PROFILE_LOCALES), *document["sections"]]
    return document
