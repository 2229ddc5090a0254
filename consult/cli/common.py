"""What several commands share: the database set-up and finding a survey by key."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask import current_app
from flask_babel import gettext as _
from flask_migrate import upgrade


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
