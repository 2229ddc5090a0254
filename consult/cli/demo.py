"""consult demo"""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _

from consult.cli.common import init_database


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
        demo_accounts = demo.accounts()
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
    click.echo(
        _(
            "The workspace: %(url)s — sign in with the password %(password)s as:",
            url=f"{base}/workspace/",
            password=demo.DEMO_PASSWORD,
        )
    )
    for email, role in demo_accounts:
        click.echo(f"  {email} ({role})")
    if not no_serve:
        # app.run() refuses to run inside a Flask command; Werkzeug's server is the same one.
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True)
