"""consult report"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from consult.cli.common import survey_or_exit


@click.command("report")
@click.argument("survey_key")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["json"]),
    default="json",
    show_default=True,
    help="Only JSON so far; HTML, PDF and XLSX are to come.",
)
@click.option(
    "--lang", "locale", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True
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
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@with_appcontext
def report_command(
    survey_key: str, kind: str, locale: str, by: str | None, k: int | None, out: Path | None
) -> None:
    """The results of a survey's submitted responses, small groups protected."""
    from consult.services.reports import ReportError, build, to_json

    survey = survey_or_exit(survey_key)
    try:
        text = to_json(build(survey, locale=locale, by=by, k=k))
    except ReportError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(_("Wrote %(file)s.", file=out))
