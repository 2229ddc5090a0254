"""The report as PDF: the standalone HTML document (with 200 dpi PNG charts, which WeasyPrint
lays out many times faster than SVG) printed by WeasyPrint on A4.

WeasyPrint needs Pango (Debian: libpango-1.0-0 and libpangoft2-1.0-0).
"""

from __future__ import annotations

from typing import Any

from consult.reporting.html import render_html


class ExternalResource(ValueError):
    """The document asked for something outside itself; a report never does."""


def _inline_only() -> Any:
    """A URL fetcher that reads ``data:`` addresses (the charts) and refuses anything else."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before the URLFetcher class: a fetcher is a function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ExternalResource(url)
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols=("data",), fail_on_errors=True)


def render_pdf(report: dict[str, Any], *, group_by_theme: bool = False) -> bytes:
    """The report as PDF bytes. Needs an application context (templates, translations)."""
    from weasyprint import HTML  # imported when needed: it loads Pango

    document = render_html(report, group_by_theme=group_by_theme, image="png")
    return HTML(string=document, url_fetcher=_inline_only()).write_pdf()
