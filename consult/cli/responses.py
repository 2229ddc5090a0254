"""consult responses export, consult responses import"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from consult.cli.common import survey_or_exit


@click.group("responses")
def responses_group() -> None:
    """A survey's responses as files: export to CSV, XLSX or JSON; import from CSV or XLSX."""


@responses_group.command("export")
@click.argument("survey_key")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["csv", "xlsx", "json"]),
    default="csv",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write.",
)
@click.option(
    "--lang",
    "locale",
    type=click.Choice(["fi", "sv", "en"]),
    default="fi",
    show_default=True,
    help="Language of the XLSX codebook.",
)
@click.option("--all", "everything", is_flag=True, help="Drafts too, not only submitted responses.")
@with_appcontext
def export_command(survey_key: str, kind: str, out: Path, locale: str, everything: bool) -> None:
    """Write a survey's responses, one row per response (see docs/exports.md)."""
    from consult.services.exports import ExportError, export_file

    survey = survey_or_exit(survey_key)
    try:
        count = export_file(
            survey, kind, out, status="all" if everything else "submitted", locale=locale
        )
    except (ExportError, OSError) as error:
        click.echo(_("Nothing was written: %(error)s", error=error), err=True)
        sys.exit(1)
    click.echo(_("Wrote %(count)d responses to %(file)s.", count=count, file=out))


@responses_group.command("import")
@click.argument("survey_key")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and store nothing.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the response of an organisation that has already answered.",
)
@with_appcontext
def import_command(survey_key: str, path: Path, dry_run: bool, replace: bool) -> None:
    """Store the rows of a CSV or XLSX file (the export's layout) as submitted responses.

    Rows are matched to organisations in the register by business ID, else by name. A file
    with any problem is refused whole and nothing is stored.
    """
    from consult.services.organisations import ImportRefused
    from consult.services.response_import import import_file
    from consult.services.transactions import StorageBusy

    survey = survey_or_exit(survey_key)
    try:
        result = import_file(survey, path, replace=replace, dry_run=dry_run)
    except ImportRefused as error:
        for problem in error.problems:
            click.echo(problem.located(str(path)), err=True)
        click.echo(
            _("Nothing was imported: %(count)d problem(s).", count=len(error.problems)), err=True
        )
        sys.exit(1)
    except StorageBusy:
        click.echo(_("The database is busy; nothing was imported. Try again."), err=True)
        sys.exit(1)
    if not result.stored:
        click.echo(
            _(
                "The file is fine: %(created)d new and %(replaced)d replaced responses "
                "(nothing was stored: --dry-run).",
                created=result.created,
                replaced=result.replaced,
            )
        )
        return
    click.echo(
        _(
            "Imported %(created)d new and %(replaced)d replaced responses.",
            created=result.created,
            replaced=result.replaced,
        )
    )
