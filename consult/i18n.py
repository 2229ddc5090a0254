"""Languages: which locale a request gets, and survey content per locale."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_request_context, request
from flask_babel import lazy_gettext as _l

#: Locales whose interface is complete.
INTERFACE_LOCALES = ("fi", "sv", "en")
#: Every locale a survey can be offered in.
CONTENT_LOCALES = ("fi", "sv", "en", "ar", "so", "uk", "ru", "et")
RTL_LOCALES = frozenset({"ar"})

#: Each language named in itself, for language switches.
NATIVE_NAMES = {
    "fi": "Suomi",
    "sv": "Svenska",
    "en": "English",
    "ar": "العربية",
    "so": "Soomaali",
    "uk": "Українська",
    "ru": "Русский",
    "et": "Eesti",
}

#: Language names in the interface language (for lists of what a survey is offered in).
LANGUAGE_NAMES = {
    "fi": _l("Finnish"),
    "sv": _l("Swedish"),
    "en": _l("English"),
    "ar": _l("Arabic"),
    "so": _l("Somali"),
    "uk": _l("Ukrainian"),
    "ru": _l("Russian"),
    "et": _l("Estonian"),
}

LOCALE_COOKIE = "consult_lang"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def text_direction(locale: str) -> str:
    """``rtl`` for right-to-left languages, otherwise ``ltr``."""
    return "rtl" if locale in RTL_LOCALES else "ltr"


def command_line_locale() -> str:
    """The interface locale for the command line: from LC_ALL, LC_MESSAGES or LANG, else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        language = value.split("_")[0].split(".")[0].lower()
        if language in INTERFACE_LOCALES:
            return language
    return "en"


def select_locale() -> str:
    """The locale of a request: explicit choice (URL, then cookie), then the invitation's
    language, then Accept-Language, then the default.

    Pages choose among ``g.allowed_locales`` (a survey's locales on the respondent's pages,
    the interface's complete locales elsewhere). Outside a request: the command line's.
    """
    if not has_request_context():
        return command_line_locale()
    allowed = getattr(g, "allowed_locales", None) or INTERFACE_LOCALES
    for candidate in (
        getattr(g, "explicit_locale", None),
        request.cookies.get(LOCALE_COOKIE),
        getattr(g, "invitation_locale", None),
    ):
        if candidate in allowed:
            return candidate
    best = request.accept_languages.best_match(allowed)
    if best:
        return best
    default = getattr(g, "default_locale", None) or current_app.config["DEFAULT_LOCALE"]
    return default if default in allowed else allowed[0]


def localized(texts: Mapping[str, str] | None, locale: str, fallback: str) -> tuple[str, str]:
    """The text for ``locale`` and the locale it is really in (the fallback when missing)."""
    if not texts:
        return "", fallback
    if texts.get(locale):
        return texts[locale], locale
    if texts.get(fallback):
        return texts[fallback], fallback
    first = next(iter(texts))
    return texts[first], first


def compile_catalogues(source: Path = TRANSLATIONS_DIR) -> Path:
    """Build ``messages.mo`` from each ``messages.po`` that is newer; return the folder used."""
    for po_path in source.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalogue = read_po(handle, locale=po_path.parent.parent.name)
        tmp = mo_path.with_name(f"messages.mo.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalogue)
        tmp.replace(mo_path)
    return source
