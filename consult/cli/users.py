"""consult user ..."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from consult.models import ROLES


@click.group("user")
def user_group() -> None:
    """Workspace accounts."""


def _password() -> str:
    if sys.stdin.isatty():
        return click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", default="", help="The person's name.")
@with_appcontext
def user_create(email: str, role: str, name: str) -> None:
    """Create an account; the password is asked for, or read from standard input."""
    from consult.extensions import db
    from consult.services import accounts, audit

    try:
        user = accounts.create_user(email, role, _password(), name)
    except accounts.AccountError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    audit.record("create_account", user.email, details={"role": user.role})
    db.session.commit()
    click.echo(_("Created the %(role)s account %(email)s.", role=role, email=user.email))


@user_group.command("list")
@with_appcontext
def user_list() -> None:
    """E-mail, role and whether each account can sign in."""
    from consult.services import accounts

    for user in accounts.list_users():
        state = _("active") if user.active else _("deactivated")
        click.echo(f"{user.email}\t{user.role}\t{state}")
