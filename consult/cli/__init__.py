"""The ``consult`` command line (also available as ``flask --app consult ...``).

One module per group of commands; ``register_commands`` adds them all to an app.
"""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup

from consult.cli.backup import backup_command, restore_command
from consult.cli.common import init_database, survey_or_exit
from consult.cli.demo import demo_command
from consult.cli.organisations import invite_command, org_group
from consult.cli.privacy import privacy_group
from consult.cli.reports import report_command
from consult.cli.responses import responses_group
from consult.cli.surveys import init_command, survey_group
from consult.cli.users import user_group

__all__ = ["demo_command", "init_database", "main", "register_commands", "survey_or_exit"]


def register_commands(app: Flask) -> None:
    for command in (
        init_command,
        survey_group,
        org_group,
        invite_command,
        report_command,
        responses_group,
        demo_command,
        user_group,
        backup_command,
        restore_command,
        privacy_group,
    ):
        app.cli.add_command(command)


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
