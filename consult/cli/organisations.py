"""consult org ..., consult invite"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from consult.cli.common import survey_or_exit
from consult.extensions import db


@click.group("org")
def org_group() -> None:
    """The register of organisations."""


@org_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def org_import(path: Path) -> None:
    """Add organisations from a CSV file; a file with any mistake adds nothing."""
    from consult.services.organisations import COLUMNS, ImportRefused, import_csv

    try:
        created = import_csv(path)
    except ImportRefused as error:
        for problem in error.problems:
            click.echo(problem.located(str(path)), err=True)
        click.echo(
            _(
                "Nothing was imported: %(count)d problem(s). Columns: %(columns)s",
                count=len(error.problems),
                columns=", ".join(COLUMNS),
            ),
            err=True,
        )
        sys.exit(1)
    click.echo(_("Added %(count)d organisations.", count=len(created)))


@click.command("invite")
@click.argument("survey_key")
@click.option(
    "--org", "orgs", multiple=True, metavar="NAME_OR_ID", help="An organisation (repeatable)."
)
@click.option("--all", "everyone", is_flag=True, help="Every organisation in the register.")
@click.option(
    "--new-link", is_flag=True, help="Replace existing links (the old ones stop working)."
)
@with_appcontext
def invite_command(survey_key: str, orgs: tuple[str, ...], everyone: bool, new_link: bool) -> None:
    """Make personal survey links and print each organisation's name and link.

    An organisation invited before keeps its link (it is printed again) unless --new-link
    is given.
    """
    import sqlalchemy as sa

    from consult.models import Organisation
    from consult.services import invitations

    survey = survey_or_exit(survey_key)
    if everyone == bool(orgs):
        click.echo(_("Name organisations with --org, or give --all."), err=True)
        sys.exit(2)
    if everyone:
        chosen = list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))
    else:
        chosen, missing = invitations.find_organisations(orgs)
        if missing:
            for wanted in missing:
                click.echo(_("No single organisation matches '%(name)s'.", name=wanted), err=True)
            click.echo(_("Nobody was invited."), err=True)
            sys.exit(1)
    for issued in invitations.invite(survey, chosen, new_link=new_link):
        click.echo(f"{issued.organisation.name}\t{invitations.link(issued.token)}")
