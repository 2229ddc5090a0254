"""The whole report as one self-contained HTML file: styles inline, every chart inside it as
a ``data:`` address beside its table, no address outside the file."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale

from consult.reporting.document import build_document

#: What the ``image`` argument accepts: scalable SVG (the HTML) or 200 dpi PNG (the PDF).
IMAGES = ("svg", "png")


def render_html(report: dict[str, Any], *, group_by_theme: bool = False, image: str = "svg") -> str:
    """The report (from :func:`consult.services.reports.build`) as a standalone HTML page in
    the report's language. Needs an application context (templates, translations)."""
    if image not in IMAGES:
        raise ValueError(f"image must be one of {IMAGES}")
    with force_locale(report["language"]):
        document = build_document(report, group_by_theme=group_by_theme)
        return render_template("report/document.html", doc=document, image=image)
