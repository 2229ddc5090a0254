"""A response replaced by an import is changed, even when the file holds the same answers:
its time of change (also the version a respondent's save in progress compares) moves."""

from __future__ import annotations

import sqlalchemy as sa
from test_exports import survey  # noqa: F401  (fixture)

from consult.extensions import db
from consult.models import Organisation, Response
from consult.services.exports import export_file
from consult.services.response_import import import_file


def test_an_import_that_changes_only_the_status_moves_the_time_of_change(survey, tmp_path) -> None:  # noqa: F811
    export_file(survey, "csv", tmp_path / "r.csv")
    row = db.session.scalar(
        sa.select(Response)
        .join(Organisation)
        .where(Response.survey_id == survey.id, Organisation.name == "Kallion perheyhdistys ry")
    )
    row.status = "draft"  # e.g. reopened on the web, answers as in the file
    db.session.commit()
    version = row.updated_at
    import_file(survey, tmp_path / "r.csv", replace=True)
    db.session.expire_all()
    row = db.session.get(Response, row.id)
    assert row.status == "submitted"
    assert row.updated_at > version
