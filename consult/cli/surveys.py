"""consult init, consult survey ..."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from consult.cli.common import init_database, survey_or_exit
from consult.domain import ACTION_THEMES
from consult.extensions import db


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database."""
    init_database()
    click.echo(
        _(
            "The database is up to date: %(url)s",
            url=db.engine.url.render_as_string(hide_password=True),
        )
    )


@click.group("survey")
def survey_group() -> None:
    """List, import and export surveys."""


@survey_group.command("list")
@with_appcontext
def survey_list() -> None:
    """Key, title, state and responses of every survey."""
    from consult.services.surveys import list_surveys

    rows = list_surveys()
    if not rows:
        click.echo(_("No surveys yet."))
        return
    from flask_babel import get_locale

    from consult.domain import SURVEY_STATES

    locale = str(get_locale())
    table = [(_("key"), _("state"), _("submitted"), _("drafts"), _("title"))]
    for row in rows:
        s = row.survey
        title = s.title.get(locale) or s.title.get(s.default_locale, "")
        table.append(
            (s.key, str(SURVEY_STATES[s.state]), str(row.submitted), str(row.drafts), title)
        )
    widths = [max(len(line[i]) for line in table) for i in range(4)]
    for key, state, submitted, drafts, title in table:
        click.echo(
            f"{key:<{widths[0]}}  {state:<{widths[1]}}  {submitted:>{widths[2]}}  "
            f"{drafts:>{widths[3]}}  {title}"
        )


@survey_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", help="Import under this survey key instead of the file's own.")
@click.option(
    "--theme",
    type=click.Choice(list(ACTION_THEMES)),
    help="The action-plan theme, for a workbook without a consult_theme column.",
)
@with_appcontext
def survey_import(path: Path, key: str | None, theme: str | None) -> None:
    """Import a survey file (YAML or JSON) or an XLSForm workbook (.xlsx) as a new draft survey.

    An XLSForm's import report lists, by sheet, row and column, what consult did not keep.
    """
    from consult.services.surveys import import_document
    from consult.services.xlsform import import_xlsform
    from consult.survey_file import SurveyFileError, read

    report: list[Any] = []
    try:
        if path.suffix.lower() == ".xlsx":
            survey, report = import_xlsform(path, str(path), theme=theme, key=key)
            warnings: list[Any] = []
        else:
            document = read(path)
            document.update(
                {name: value for name, value in (("key", key), ("theme", theme)) if value}
            )
            survey, warnings = import_document(document, source=str(path))
    except SurveyFileError as error:
        for problem in error.problems:
            click.echo(problem.located(str(path)), err=True)
        click.echo(
            _(
                "Nothing was imported: %(count)d problem(s) in %(file)s.",
                count=len(error.problems),
                file=path,
            ),
            err=True,
        )
        sys.exit(1)
    for warning in warnings:
        click.echo(_("warning: %(problem)s", problem=warning.located(str(path))), err=True)
    for note in report:
        click.echo(note.located(str(path)))
    click.echo(
        _(
            "Imported survey %(key)s (%(count)d questions) as a draft.",
            key=survey.key,
            count=len(survey.questions),
        )
    )
    if report:
        click.echo(
            _(
                "The import report above has %(count)d item(s): what was not kept, "
                "and translations that are missing.",
                count=len(report),
            )
        )


@survey_group.command("export")
@click.argument("key")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def survey_export(key: str, path: Path) -> None:
    """Write a survey to a survey file (YAML), or to an XLSForm workbook when PATH ends in
    .xlsx; '-' writes YAML to standard output."""
    from consult.services.surveys import export_document
    from consult.services.xlsform import export_xlsform
    from consult.survey_file import dump

    survey = survey_or_exit(key)
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(export_xlsform(survey))
        click.echo(_("Wrote %(file)s.", file=path))
        return
    text = dump(export_document(survey))
    if str(path) == "-":
        click.echo(text, nl=False)
        return
    path.write_text(text, encoding="utf-8")
    click.echo(_("Wrote %(file)s.", file=path))


@survey_group.command("set")
@click.argument("key")
@click.option(
    "--state", type=click.Choice(["draft", "open", "closed"]), help="Whether it takes answers."
)
@click.option(
    "--open-link/--no-open-link",
    default=None,
    help="Whether anyone may register and answer through /s/KEY.",
)
@click.option(
    "--opens-at",
    type=click.DateTime(["%Y-%m-%dT%H:%M", "%Y-%m-%d"]),
    help="Local time (Europe/Helsinki).",
)
@click.option(
    "--closes-at",
    type=click.DateTime(["%Y-%m-%dT%H:%M", "%Y-%m-%d"]),
    help="Local time (Europe/Helsinki).",
)
@click.option(
    "--retention-days",
    type=click.IntRange(min=0),
    default=None,
    help="Days after closing that contact details and open answers are kept.",
)
@with_appcontext
def survey_set(
    key: str,
    state: str | None,
    open_link: bool | None,
    opens_at: Any,
    closes_at: Any,
    retention_days: int | None,
) -> None:
    """Open or close a survey, offer its open link, set its times and retention period."""
    from zoneinfo import ZoneInfo

    from consult.services.surveys import change_settings

    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    survey = survey_or_exit(key)
    try:
        change_settings(
            survey,
            state=state,
            open_link=open_link,
            opens_at=opens_at.replace(tzinfo=zone) if opens_at else None,
            closes_at=closes_at.replace(tzinfo=zone) if closes_at else None,
            retention_days=retention_days,
        )
    except ValueError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(_("Survey %(key)s: %(state)s.", key=key, state=survey.state))
    if survey.open_link:
        click.echo(
            _("Open link: %(link)s", link=f"{current_app.config['BASE_URL'].rstrip('/')}/s/{key}")
        )
