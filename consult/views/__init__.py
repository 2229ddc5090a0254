"""Blueprints and the template helpers they share."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import nh3
from flask import Flask, request
from markdown_it import MarkdownIt
from markupsafe import Markup

from consult.domain import (
    ACTION_THEMES,
    DISTRICTS,
    SERVED_LANGUAGES,
    SIZES,
    SURVEY_STATES,
    THEME_GROUPS,
)
from consult.i18n import LANGUAGE_NAMES, NATIVE_NAMES, localized


class Text:
    """Survey content in one locale, with the locale it is really in."""

    def __init__(self, texts: dict[str, str] | None, locale: str, fallback: str) -> None:
        self.value, self.lang = localized(texts, locale, fallback)

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(
    ["heading", "lheading", "code", "fence", "image", "table", "hr", "html_block", "html_inline"],
    ignoreInvalid=True,
)
_ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "em", "strong"}


def rich(text: Any) -> Markup:
    """Survey text with light formatting (paragraphs, lists, links, emphasis), sanitised.

    Written as Markdown: a blank line between paragraphs, ``- `` for a list item,
    ``*emphasis*``, ``**strong**``, ``[link](https://...)``. Anything else shows as text.
    """
    html = _MARKDOWN.render(str(text or ""))
    return Markup(
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def url_with_lang(code: str) -> str:
    """The current address with ``lang`` set to ``code`` (other query arguments kept)."""
    args = request.args.copy()
    args["lang"] = code
    return f"{request.path}?{urlencode(list(args.items(multi=True)))}"


def register_views(app: Flask) -> None:
    from consult.views.auth import bp as auth_bp
    from consult.views.health import bp as health_bp
    from consult.views.main import bp as main_bp
    from consult.views.open_link import bp as open_link_bp
    from consult.views.respond import bp as respond_bp
    from consult.views.unavailable import register as register_unavailable
    from consult.views.workspace import bp as workspace_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(open_link_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(workspace_bp)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(403, _forbidden)
    app.register_error_handler(500, _server_error)
    register_unavailable(app)  # the database unreachable: 503, and what was posted kept
    app.add_template_filter(rich)
    app.add_template_global(Text)
    app.add_template_global(url_with_lang)
    app.jinja_env.globals.update(
        NATIVE_NAMES=NATIVE_NAMES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        ACTION_THEMES=ACTION_THEMES,
        SURVEY_STATES=SURVEY_STATES,
        THEME_GROUPS=THEME_GROUPS,
        SIZES=SIZES,
        SERVED_LANGUAGES=SERVED_LANGUAGES,
        DISTRICTS=DISTRICTS,
    )


def _not_found(error: Exception) -> tuple[str, int]:
    from flask import render_template

    return render_template("404.html"), 404


def _forbidden(error: Exception) -> tuple[str, int]:
    from flask import render_template

    return render_template("403.html"), 403


def _server_error(error: Exception) -> tuple[str, int]:
    """A plain page with the request's id (never a traceback); the error is logged."""
    from flask import g, render_template

    return render_template("500.html", request_id=g.get("request_id", "")), 500
