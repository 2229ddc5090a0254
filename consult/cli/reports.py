"""consult report"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from consult.cli.common import survey_or_exit

#: Formats that are files, not text for a terminal.
BINARY = ("pdf", "xlsx")


@click.command("report")
@click.argument("survey_key")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["json", "html", "pdf", "xlsx"]),
    default="json",
    show_default=True,
    help="JSON (every number), HTML (one self-contained file), PDF or XLSX (all tables).",
)
@click.option(
    "--lang",
    "locale",
    type=click.Choice(["fi", "sv", "en"]),
    default="fi",
    show_default=True,
    help="The report's language, whatever languages the answers came in.",
)
@click.option(
    "--by", default=None, help="theme_group, size, city_funded or a single-choice question's key."
)
@click.option(
    "--k",
    "k",
    type=int,
    default=None,
    help="Hide groups and cells of fewer respondents (default 5, at least 3).",
)
@click.option(
    "--by-theme",
    "group_by_theme",
    is_flag=True,
    default=False,
    help="Group the questions by action-plan theme (HTML, PDF, XLSX).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output; PDF and XLSX need a file).",
)
@with_appcontext
def report_command(
    survey_key: str,
    kind: str,
    locale: str,
    by: str | None,
    k: int | None,
    group_by_theme: bool,
    out: Path | None,
) -> None:
    """The results of a survey's submitted responses, small groups protected."""
    from consult.services.report_cache import render_report
    from consult.services.reports import ReportError

    if out is None and kind in BINARY:
        click.echo(_("A %(format)s report needs --out FILE.", format=kind.upper()), err=True)
        sys.exit(2)
    survey = survey_or_exit(survey_key)
    try:
        output = render_report(
            survey, locale=locale, kind=kind, by=by, k=k, group_by_theme=group_by_theme
        )
    except ReportError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    if out is None:
        click.echo(output.decode("utf-8"), nl=False)
    else:
        out.write_bytes(output)
        click.echo(_("Wrote %(file)s.", file=out))
