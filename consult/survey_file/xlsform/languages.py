"""Languages: consult's locales as XLSForm column headers write them, and back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask_babel import force_locale

from consult.i18n import CONTENT_LOCALES

#: How consult's locales are written in column headers: ``label::Finnish (fi)``.
LANGUAGE_NAMES = {
    "fi": "Finnish",
    "sv": "Swedish",
    "en": "English",
    "ar": "Arabic",
    "so": "Somali",
    "uk": "Ukrainian",
    "ru": "Russian",
    "et": "Estonian",
}
_OTHER_NAMES = {
    "suomi": "fi",
    "svenska": "sv",
    "العربية": "ar",
    "soomaali": "so",
    "українська": "uk",
    "русский": "ru",
    "eesti": "et",
    "fin": "fi",
    "swe": "sv",
    "eng": "en",
    "ara": "ar",
    "som": "so",
    "ukr": "uk",
    "rus": "ru",
    "est": "et",
}
_CODE_IN_NAME = re.compile(r"\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*\)\s*$")


def locale_of(language: str) -> str | None:
    """The consult locale of an XLSForm language (``Finnish (fi)``, ``fi``, ``Suomi``), or None."""
    match = _CODE_IN_NAME.search(language)
    name = (match.group(1) if match else language).strip().lower()
    for code, english in LANGUAGE_NAMES.items():
        if name in (code, english.lower()):
            return code
    code = _OTHER_NAMES.get(name)
    return code if code in CONTENT_LOCALES else None


def language_header(column: str, locale: str) -> str:
    """``label::Finnish (fi)``."""
    return f"{column}::{LANGUAGE_NAMES[locale]} ({locale})"


def _per_locale(text: Any, locales: Iterable[str]) -> dict[str, str]:
    """Interface text in each locale (consult's own words for Yes, No, Don't know)."""
    out = {}
    for locale in locales:
        with force_locale(locale):
            out[locale] = str(text)
    return out
