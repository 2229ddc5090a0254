"""The workspace front page and the audit log."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user

from consult.auth import EVERYONE, STAFF, roles_required
from consult.services import accounts, audit, progress
from consult.services.surveys import list_surveys
from consult.views.workspace import bp


@bp.route("/")
@roles_required(*EVERYONE)
def home() -> Any:
    surveys = [row.survey for row in list_surveys()]
    if current_user.role == "reviewer":
        given = accounts.reviewer_survey_ids(current_user)
        surveys = [s for s in surveys if s.id in given]
    counts = progress.counts_by_survey(surveys)
    return render_template("workspace/home.html", surveys=surveys, counts=counts)


@bp.route("/audit")
@roles_required(*STAFF)
def audit_log() -> Any:
    return render_template("workspace/audit.html", entries=audit.entries(limit=500))
