"""Migrations: the first schema upgrades an empty database to exactly what the models say."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from factories import make_app, make_organisation

from consult.cli import init_database
from consult.extensions import db
from consult.models import Organisation


def test_upgrade_from_empty_matches_the_models(tmp_path: Path, fresh_database_url: str) -> None:
    app = make_app(tmp_path, fresh_database_url)
    with app.app_context():
        init_database()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        db.engine.dispose()


def test_init_twice_keeps_every_row(tmp_path: Path, fresh_database_url: str) -> None:
    app = make_app(tmp_path, fresh_database_url)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.app_context():
        make_organisation("Pysyvä ry")
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0 and "The database is up to date" in result.output
    with app.app_context():
        assert db.session.scalars(sa.select(Organisation.name)).all() == ["Pysyvä ry"]
        db.session.remove()
        db.engine.dispose()
