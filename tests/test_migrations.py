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


def test_upgrade_from_the_first_schema_keeps_data_and_it_still_works(
    tmp_path: Path, fresh_database_url: str
) -> None:
    """A row stored under the first schema (0001) survives every later migration (new
    columns get their defaults), and the upgraded database takes invitations, answers and
    reports as a new one does."""
    from factories import answer, make_survey
    from flask_migrate import upgrade

    from consult.models import Invitation, Response, Survey
    from consult.models.invitation import token_hash
    from consult.services import invitations, reports

    app = make_app(tmp_path, fresh_database_url)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision="0001")
        # Under 0001 there is no accounts table and fewer columns: write the rows with SQL.
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO organisation (name, languages, districts, created_at) "
                    "VALUES ('Vanha ry', '[\"fi\"]', '[]', CURRENT_TIMESTAMP)"
                )
            )
        upgrade(directory=directory)  # to the newest
        organisation = db.session.scalar(sa.select(Organisation))
        assert organisation.name == "Vanha ry" and organisation.updated_at is not None
        survey = make_survey()
        survey.state = "open"
        db.session.commit()
        token = invitations.invite(survey, [organisation])[0].token
        answer(survey, organisation, {"size": "small"})
        assert db.session.scalar(sa.select(Invitation.token_hash)) == token_hash(token)
        assert app.test_client().get(f"/r/{token}").status_code == 200
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
        assert reports.build(db.session.scalar(sa.select(Survey)), locale="en", k=3)["questions"]
        db.session.remove()
        db.engine.dispose()
