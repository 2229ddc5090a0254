"""consult privacy export|erase|retention"""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _


@click.group("privacy")
def privacy_group() -> None:
    """Personal data: export, erase, retention."""


@privacy_group.command("export")
@click.option("--email", required=True, help="The person's e-mail address.")
@with_appcontext
def privacy_export(email: str) -> None:
    """Everything stored about one person, as JSON."""
    from consult.services import privacy

    click.echo(json.dumps(privacy.export(email), ensure_ascii=False, indent=2))


@privacy_group.command("erase")
@click.option("--email", required=True, help="The person's e-mail address.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def privacy_erase(email: str, yes: bool) -> None:
    """Remove one person's identifiers; the organisations' answers stay."""
    from consult.services import privacy

    if not yes:
        click.confirm(_("Erase every identifier of %(email)s?", email=email), abort=True)
    counts = privacy.erase(email)
    click.echo(
        _(
            "Erased: %(contacts)d contact persons, %(accounts)d accounts, %(audit)d audit log "
            "entries, %(answers)d open answers naming the person.",
            contacts=counts["contacts"],
            accounts=counts["accounts"],
            audit=counts["audit_entries"],
            answers=counts["answers"],
        )
    )


@privacy_group.command("retention")
@click.option("--as-of", "as_of", default=None, help="Pretend it is this time (ISO 8601).")
@with_appcontext
def privacy_retention(as_of: str | None) -> None:
    """Erase open answers and contact details of surveys past their retention period."""
    from consult.services import privacy

    now = None
    if as_of:
        try:
            now = datetime.fromisoformat(as_of)
        except ValueError:
            click.echo(_("Write the time as 2027-06-01T00:00:00+03:00."), err=True)
            sys.exit(2)
        if now.tzinfo is None:
            click.echo(_("Write the time as 2027-06-01T00:00:00+03:00."), err=True)
            sys.exit(2)
    done = privacy.apply_retention(now)
    if not done:
        click.echo(_("No survey is past its retention period."))
    for key, answers, contacts in done:
        click.echo(
            _(
                "%(key)s: erased %(answers)d open answers and %(contacts)d contact persons.",
                key=key,
                answers=answers,
                contacts=contacts,
            )
        )
