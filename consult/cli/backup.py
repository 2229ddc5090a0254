"""consult backup, consult restore"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH while the app runs (PostgreSQL: use pg_dump)."""
    from consult.services import backup

    try:
        backup.backup(path)
    except backup.BackupError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    summary = backup.fingerprint()
    click.echo(
        _(
            "Backed up to %(path)s: %(count)d responses, checksum %(sum)s.",
            path=path,
            count=summary["rows"]["response"],
            sum=summary["responses_sha256"][:16],
        )
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database with a backup (stop the app first)."""
    from consult.services import backup

    if not yes:
        click.confirm(
            _("This replaces every row of the database with the backup. Go on?"), abort=True
        )
    try:
        backup.restore(path)
    except backup.BackupError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    summary = backup.fingerprint()
    click.echo(
        _(
            "Restored %(path)s: %(count)d responses, checksum %(sum)s.",
            path=path,
            count=summary["rows"]["response"],
            sum=summary["responses_sha256"][:16],
        )
    )
