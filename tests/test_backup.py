"""consult backup and consult restore: a restored database holds the same rows and the same
answers (a checksum over every response); on PostgreSQL the commands point to pg_dump."""

from __future__ import annotations

import sqlalchemy as sa
from factories import answer, make_organisation, make_survey

from consult.extensions import db
from consult.models import Response
from consult.services import backup


def test_backup_and_restore_give_back_every_response(app, runner, tmp_path) -> None:
    survey = make_survey()
    for i in range(12):
        answer(
            survey,
            make_organisation(f"Yhdistys {i} ry"),
            {"size": "small", "name": f"Ääkkösiä {i} 🙂"},
        )
    target = tmp_path / "consult-backup.db"
    made = runner.invoke(args=["backup", str(target)])
    if db.engine.url.get_backend_name() != "sqlite":
        assert made.exit_code == 1 and "pg_dump" in made.output
        return
    assert made.exit_code == 0, made.output
    before = backup.fingerprint()
    assert before["rows"]["response"] == 12 and before["rows"]["answer"] == 24

    # Things change after the backup…
    db.session.delete(db.session.scalar(sa.select(Response).limit(1)))
    answer(survey, make_organisation("Myöhäinen ry"), {"size": "large"})
    assert backup.fingerprint() != before
    # …and the restore brings back exactly what was backed up.
    restored = runner.invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert backup.fingerprint() == before
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code == 1 and "exists already" in again.output


def test_a_file_that_is_not_a_backup_is_refused(app, runner, tmp_path) -> None:
    if db.engine.url.get_backend_name() != "sqlite":
        return
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    make_survey()
    refused = runner.invoke(args=["restore", str(junk), "--yes"])
    assert refused.exit_code == 1 and "is not a consult backup" in refused.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    assert make_survey(key="still-works").key == "still-works"
