"""Survey content as a respondent's page shows it: in the page's language, with light
formatting, and marked with its own language where it is not translated yet (WCAG 3.1.2)."""

from __future__ import annotations

import functools
from typing import Any

from markupsafe import Markup, escape

from consult.i18n import localized
from consult.services import answering
from consult.views import rich

#: Formatted survey texts: the same help and descriptions go out with every page.
_rich = functools.lru_cache(maxsize=2048)(rich)


class InLanguage(str):
    """A text that says which language it is in."""

    lang: str

    def __new__(cls, text: str, lang: str) -> InLanguage:
        made = super().__new__(cls, text)
        made.lang = lang
        return made


class SurveyText:
    """Survey content in the request's locale (subclasses set ``survey`` and ``locale``)."""

    survey: Any
    locale: str

    def localise(self, texts: dict[str, str] | None) -> str:
        return localized(texts, self.locale, self.survey.default_locale)[0]

    def rich(self, texts: dict[str, str] | None) -> Markup:
        """Survey text with light formatting (see :func:`consult.views.rich`)."""
        return _rich(self.localise(texts))

    @property
    def closed_on(self) -> Any:
        """When the survey closed, if it closed on its closing date (not closed early)."""
        return answering.closed_on(self.survey)

    def localise_marked(self, texts: dict[str, str] | None) -> str:
        """:meth:`localise`, as a str that also says which language it is in (``.lang``)."""
        return InLanguage(*localized(texts, self.locale, self.survey.default_locale))

    def option_langs(self, question: Any) -> dict[str, str]:
        """The language of each of ``question``'s options shown in another language than the
        page's (not translated yet), by option key: their labels say so (WCAG 3.1.2)."""
        langs = {}
        for option in question.options:
            lang = localized(option.text, self.locale, self.survey.default_locale)[1]
            if lang != self.locale:
                langs[str(option.key)] = lang
        return langs

    def content(self, texts: dict[str, str] | None) -> Markup:
        """Survey text for a page: marked with its language when it is a fallback."""
        text, lang = localized(texts, self.locale, self.survey.default_locale)
        if lang == self.locale:
            return escape(text)
        return Markup('<span lang="{}" dir="auto">{}</span>').format(lang, text)
