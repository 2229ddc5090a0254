"""The ``consult`` command line (also available as ``flask --app consult ...``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _
from flask_migrate import upgrade

from consult.extensions import db


def init_database() -> None:
    """Create the database, or upgrade it to the newest schema; keeps every row."""
    upgrade(directory=current_app.extensions["migrate"].directory)


def survey_or_exit(key: str) -> Any:
    """The survey with this key; or, when there is none, a message and exit status 1."""
    from consult.services.surveys import SurveyNotFound, get_survey

    try:
        return get_survey(key)
    except SurveyNotFound:
        click.echo(
            _("There is no survey with the key '%(key)s'. See 'consult survey list'.", key=key),
            err=True,
        )
        sys.exit(1)


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
    from consult.domain import SURVEY_STATES

    locale = _locale()
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
@with_appcontext
def survey_import(path: Path) -> None:
    """Import a survey file (YAML or JSON) as a new draft survey."""
    from consult.services.surveys import import_document
    from consult.survey_file import SurveyFileError, read

    try:
        survey, warnings = import_document(read(path), source=str(path))
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
    click.echo(
        _(
            "Imported survey %(key)s (%(count)d questions) as a draft.",
            key=survey.key,
            count=len(survey.questions),
        )
    )


@survey_group.command("export")
@click.argument("key")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def survey_export(key: str, path: Path) -> None:
    """Write a survey to a survey file (YAML); '-' writes to standard output."""
    from consult.services.surveys import export_document
    from consult.survey_file import dump

    text = dump(export_document(survey_or_exit(key)))
    if str(path) == "-":
        click.echo(text, nl=False)
        return
    path.write_text(text, encoding="utf-8")
    click.echo(_("Wrote %(file)s.", file=path))


@click.command("invite")
@click.argument("survey_key")
@click.option(
    "--org", "orgs", multiple=True, metavar="NAME_OR_ID", help="An organisation (repeatable)."
)
@click.option("--all", "everyone", is_flag=True, help="Every organisation in the register.")
@with_appcontext
def invite_command(survey_key: str, orgs: tuple[str, ...], everyone: bool) -> None:
    """Make personal survey links and print each organisation's name and link.

    Only a hash of each link is stored, so a link is shown once; inviting an organisation
    again replaces its link.
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
    for issued in invitations.invite(survey, chosen):
        click.echo(f"{issued.organisation.name}\t{invitations.link(issued.token)}")


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
@with_appcontext
def survey_set(
    key: str, state: str | None, open_link: bool | None, opens_at: Any, closes_at: Any
) -> None:
    """Open or close a survey, offer its open link, set its opening and closing times."""
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
        )
    except ValueError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(_("Survey %(key)s: %(state)s.", key=key, state=survey.state))
    if survey.open_link:
        click.echo(
            _("Open link: %(link)s", link=f"{current_app.config['BASE_URL'].rstrip('/')}/s/{key}")
        )


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


@click.command("demo")
@click.option(
    "--instance",
    "instance",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Instance folder (default: ./instance, or CONSULT_INSTANCE_PATH).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up the demo data and stop.")
def demo_command(instance: Path | None, host: str, port: int, no_serve: bool) -> None:
    """Set up a demo instance with example surveys and data, then start the server."""
    from consult import create_app
    from consult.services import demo
    from consult.services.surveys import list_surveys

    overrides = {"INSTANCE_PATH": str(instance.resolve())} if instance else {}
    app = create_app(overrides)
    with app.app_context():
        init_database()
        summary = demo.load()
        click.echo(
            _(
                "Demo data ready in %(path)s: added %(surveys)d surveys, %(orgs)d organisations, %(responses)d responses.",
                path=app.instance_path,
                surveys=summary.surveys_added,
                orgs=summary.organisations_added,
                responses=summary.responses_added,
            )
        )
        keys = [row.survey.key for row in list_surveys()]
        links = demo.try_links()
    base = f"http://{host}:{port}"
    click.echo(_("Open these addresses:"))
    click.echo(f"  {base}/")
    for key in keys:
        click.echo(
            "  " + "  ".join(f"{base}/surveys/{key}?lang={lang}" for lang in ("fi", "sv", "en"))
        )
    click.echo(_("Register a new organisation and answer the volunteering survey:"))
    click.echo(f"  {base}/s/volunteering-2026")
    click.echo(_("Answer the preparedness survey as one of these organisations:"))
    for name, token in links:
        click.echo(f"  {name}: {base}/r/{token}")
    if not no_serve:
        # app.run() refuses to run inside a Flask command; Werkzeug's server is the same one.
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True)


def register_commands(app: Flask) -> None:
    for command in (
        init_command,
        survey_group,
        org_group,
        invite_command,
        report_command,
        demo_command,
    ):
        app.cli.add_command(command)


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale())


def _create_app() -> Flask:
    from consult import create_app

    return create_app()


def main() -> None:
    """Entry point of the ``consult`` console script."""
    cli = FlaskGroup(
        create_app=_create_app,
        help="consult: surveys and consultations for cities and their NGOs.",
    )
    # The demo builds its own app for the instance folder it is given.
    cli.add_command(demo_command)
    cli.main(prog_name="consult")
