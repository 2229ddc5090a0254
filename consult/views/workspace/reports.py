"""The council's report page: a survey's results in the workspace, in a report language of
its own (fi, sv or en), cut by a segment, compared with earlier rounds, with coded open
answers and chosen quotes, and downloads of the whole report and of each chart."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import force_locale, get_locale
from markupsafe import Markup

from consult.auth import EVERYONE, roles_required
from consult.models import Survey
from consult.reporting.charts import question_charts
from consult.reporting.document import build_document
from consult.services import report_cache
from consult.services.reports import ATTRIBUTE_LABELS, ATTRIBUTES, ReportError
from consult.views.workspace import bp, survey_or_404

REPORT_LOCALES = ("fi", "sv", "en")
MIMETYPES = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _options(survey: Survey) -> dict[str, Any]:
    """The report's settings from the query string; anything unknown falls back."""
    args = request.args
    ui = str(get_locale())
    locale = args.get("rlang") or (ui if ui in REPORT_LOCALES else survey.default_locale)
    if locale not in REPORT_LOCALES:
        locale = "fi"
    choice_keys = [
        q.key for q in survey.ordered_questions() if q.type in ("single_choice", "yes_no")
    ]
    by = args.get("by") or None
    if by not in (*ATTRIBUTES, *choice_keys):
        by = None
    return {
        "rlang": locale,
        "by": by,
        "theme": args.get("theme") == "1",
        "choice_keys": choice_keys,
    }


def _query(options: dict[str, Any]) -> dict[str, str]:
    query = {"rlang": options["rlang"]}
    if options["by"]:
        query["by"] = options["by"]
    if options["theme"]:
        query["theme"] = "1"
    return query


@bp.route("/surveys/<key>/report")
@roles_required(*EVERYONE)
def report(key: str) -> Any:
    survey = survey_or_404(key, reviewers=True)
    options = _options(survey)
    try:
        data = report_cache.report_data(survey, locale=options["rlang"], by=options["by"])
    except ReportError as error:
        abort(400, str(error))
    with force_locale(options["rlang"]):
        document = build_document(data, group_by_theme=options["theme"])
        body = Markup(
            render_template(
                "report/_body.html",
                doc=document,
                image="svg",
                chart_link=lambda chart, fmt: _chart_url(survey, chart, fmt, options),
            )
        )
    return render_template(
        "workspace/report.html",
        survey=survey,
        options=options,
        query=_query(options),
        body=body,
        attribute_labels=ATTRIBUTE_LABELS,
        report_locales=REPORT_LOCALES,
    )


def _chart_url(survey: Survey, chart: Any, fmt: str, options: dict[str, Any]) -> str:
    from flask import url_for

    return url_for(
        "workspace.report_chart",
        key=survey.key,
        chart_key=chart.key,
        fmt=fmt,
        **_query(options),
    )


@bp.route("/surveys/<key>/report.<kind>")
@roles_required(*EVERYONE)
def report_download(key: str, kind: str) -> Any:
    survey = survey_or_404(key, reviewers=True)
    if kind not in MIMETYPES:
        abort(404)
    options = _options(survey)
    try:
        output = report_cache.render_report(
            survey,
            locale=options["rlang"],
            kind=kind,
            by=options["by"],
            group_by_theme=options["theme"],
        )
    except ReportError as error:
        abort(400, str(error))
    name = f"{survey.key}-report-{options['rlang']}.{kind}"
    return Response(
        output,
        mimetype=MIMETYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/surveys/<key>/report/charts/<chart_key>.<fmt>")
@roles_required(*EVERYONE)
def report_chart(key: str, chart_key: str, fmt: str) -> Any:
    """One chart of the report: ``png`` (screen), ``png200`` (200 dpi, for print) or ``svg``."""
    survey = survey_or_404(key, reviewers=True)
    options = _options(survey)
    data = report_cache.report_data(survey, locale=options["rlang"], by=options["by"])
    with force_locale(options["rlang"]):
        for question in data.get("questions", []):
            for chart in question_charts(question, data):
                if chart.key == chart_key:
                    return _chart_response(chart, fmt, survey.key)
    abort(404)


def _chart_response(chart: Any, fmt: str, survey_key: str) -> Any:
    name = f"{survey_key}-{chart.key}"
    if fmt == "svg":
        body, mimetype, name = chart.svg(), "image/svg+xml", name + ".svg"
    elif fmt == "png":
        body, mimetype, name = chart.png(100), "image/png", name + ".png"
    elif fmt == "png200":
        body, mimetype, name = chart.png(200), "image/png", name + "-200dpi.png"
    else:
        abort(404)
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'inline; filename="{name}"'}
    )
